using System.Runtime.InteropServices;

namespace Decoupled.Runtime;

/// <summary>
/// The two global libtorch switches TorchSharp does not expose (<c>at::Context::setUserEnabledMkldnn</c>
/// and <c>setUserEnabledNNPACK</c>), called through their exported C++ symbols. On x86-64 a
/// non-virtual member function takes <c>this</c> as its first argument, so plain P/Invoke works.
/// </summary>
internal static partial class LibTorchContext
{
    private const string Library = "libtorch_cpu.so";

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(IntPtr context);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabledNNPACK(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    internal static bool OneDnnEnabled
    {
        get => UserEnabledMkldnn(GlobalContext());
        set => SetUserEnabledMkldnn(GlobalContext(), value);
    }

    internal static void DisableNnpack() => SetUserEnabledNNPACK(GlobalContext(), false);
}
