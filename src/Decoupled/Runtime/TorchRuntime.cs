using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Runtime;

/// <summary>
/// One place that prepares libtorch for this engine and reports how it runs.
/// <para>
/// On the AVX-512 CPU this project runs on (AMD EPYC), libtorch 2.10's oneDNN (v3.7.1) gives wrong
/// convolution results: backward-data intermittently returns wrong values or NaN, and forward is
/// wrong every time for input widths above 16 that are not multiples of 16 (17, 19, 24, 35 ... —
/// e.g. a U-Net's first convolution over 3 target + 16 first-frame channels). Both were measured
/// against float64. oneDNN is therefore off by default and libtorch's reference kernels run
/// instead (slower, correct). <c>DECOUPLED_ONEDNN=forward</c> turns it back on for forward passes
/// only, at the user's risk; <see cref="Backward"/> always runs with it off.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool initialized;

    /// <summary>Loads libtorch, uses every core, and turns off NNPACK (unsupported here; it only warns).</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (initialized) return;
            using (torch.zeros(1)) { }
            torch.set_num_threads(Environment.ProcessorCount);
            LibTorchContext.DisableNnpack();
            LibTorchContext.OneDnnEnabled = Environment.GetEnvironmentVariable("DECOUPLED_ONEDNN") == "forward";
            initialized = true;
        }
    }

    /// <summary>Back-propagates <paramref name="loss"/> with oneDNN off (see the type's remarks), then restores it.</summary>
    public static void Backward(Tensor loss)
    {
        Initialize();
        lock (Gate)
        {
            bool previous = LibTorchContext.OneDnnEnabled;
            LibTorchContext.OneDnnEnabled = false;
            try { loss.backward(); }
            finally { LibTorchContext.OneDnnEnabled = previous; }
        }
    }

    /// <summary>Whether libtorch may use oneDNN for forward passes (default false; see the type's remarks).</summary>
    public static bool OneDnnForward
    {
        get { Initialize(); return LibTorchContext.OneDnnEnabled; }
        set { Initialize(); LibTorchContext.OneDnnEnabled = value; }
    }

    /// <summary>Versions, threads and whether the build had to patch TorchSharp's glue library.</summary>
    public static RuntimeReport Report()
    {
        Initialize();
        var fix = Path.Combine(AppContext.BaseDirectory, "torchsharp-fix.json");
        bool? needed = null;
        if (File.Exists(fix))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(fix));
            needed = doc.RootElement.GetProperty("needed").GetBoolean();
        }
        return new RuntimeReport(
            EngineVersion: typeof(TorchRuntime).Assembly.GetName().Version?.ToString() ?? "?",
            DotNetVersion: Environment.Version.ToString(),
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
            LibTorchVersion: torch.__version__,
            Threads: torch.get_num_threads(),
            ProcessorCount: Environment.ProcessorCount,
            LibStdCxxFixNeeded: needed,
            OneDnnForward: LibTorchContext.OneDnnEnabled);
    }
}

/// <summary>What <c>./decoupled info</c> prints.</summary>
/// <param name="EngineVersion">Version of the Decoupled engine assembly.</param>
/// <param name="DotNetVersion">.NET runtime version.</param>
/// <param name="TorchSharpVersion">TorchSharp assembly version.</param>
/// <param name="LibTorchVersion">Native libtorch version.</param>
/// <param name="Threads">Threads libtorch uses.</param>
/// <param name="ProcessorCount">Logical processors of this machine.</param>
/// <param name="LibStdCxxFixNeeded">True when the build patched the glue library for an old libstdc++; null when unknown.</param>
/// <param name="OneDnnForward">Whether forward passes use oneDNN.</param>
public sealed record RuntimeReport(
    string EngineVersion, string DotNetVersion, string TorchSharpVersion, string LibTorchVersion,
    int Threads, int ProcessorCount, bool? LibStdCxxFixNeeded, bool OneDnnForward);
