using System.Runtime.InteropServices;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// CPU autocast to bfloat16, which TorchSharp 0.107 does not expose: libtorch's own
/// <c>at::autocast</c> switches, called through their exported C++ symbols (as
/// <see cref="Runtime.TorchRuntime"/> does for oneDNN). Inside a scope, matrix products and
/// convolutions run in bf16 while weights stay fp32; autograd records the casts, so gradients
/// arrive in fp32. Autocast state is per thread: enter and leave on the thread that runs the forward pass.
/// <para>
/// Measured on the 2-core AVX-512 machine (TorchSharp 0.107, libtorch 2.10): forward passes of a
/// small 3D conv net take 20 instead of 85 ms, of an MLP 4.0 instead of 7.4 ms. A training step
/// gains little, because backward passes run with oneDNN off (its bf16 convolution backward gave
/// NaN too), where bf16 matrix products use a slow reference kernel: conv net 2.66 s vs 2.96 s,
/// MLP 928 ms vs 24 ms per step.
/// </para>
/// </summary>
public static partial class Bf16Autocast
{
    private const string Library = "libtorch_cpu.so";
    private const sbyte CpuDevice = 0;       // c10::DeviceType::CPU
    private const sbyte BFloat16 = 15;       // c10::ScalarType::BFloat16

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb")]
    private static partial void SetEnabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool IsEnabled(sbyte device);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE")]
    private static partial void SetDtype(sbyte device, sbyte dtype);

    [LibraryImport(Library, EntryPoint = "_ZN2at8autocast11clear_cacheEv")]
    private static partial void ClearCache();

    /// <summary>Whether autocast is on for the CPU on this thread.</summary>
    public static bool Active
    {
        get { Runtime.TorchRuntime.Initialize(); return IsEnabled(CpuDevice); }
    }

    /// <summary>Turns bf16 autocast on for this thread until the returned scope is disposed (scopes nest).</summary>
    public static IDisposable Enter()
    {
        Runtime.TorchRuntime.Initialize();
        bool previous = IsEnabled(CpuDevice);
        SetDtype(CpuDevice, BFloat16);
        SetEnabled(CpuDevice, true);
        return new Scope(previous);
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            SetEnabled(CpuDevice, previous);
            // The cache holds bf16 copies of the weights; after the optimizer step they would be stale.
            if (!previous)
                ClearCache();
        }
    }
}
