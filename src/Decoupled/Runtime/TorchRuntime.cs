using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Runtime;

/// <summary>
/// One place that prepares libtorch for this engine and reports how it runs.
/// <para>
/// On the AVX-512 CPU this project runs on (AMD EPYC), libtorch 2.10's oneDNN (v3.7.1) gives wrong
/// convolution results for some channel widths: forward for input widths above 16 that are not
/// multiples of 16 (17, 19, 24, 35 ...), backward-data (wrong values or NaN) for output widths that
/// are not multiples of 16, and some stride-2 backward passes; measured against float64. oneDNN is
/// also about 3x faster than the reference kernels. So: <see cref="OneDnnConv"/> pads odd widths
/// to multiples of 16 while oneDNN is on, oneDNN starts <see cref="OneDnnMode.Off"/>, and under the
/// default <see cref="OneDnnPolicy.Auto"/> policy a trainer or sampler switches it on only after
/// <see cref="OneDnnSelfCheck"/> has compared the exact network and shapes against the reference
/// kernels. <c>DECOUPLED_ONEDNN=off|forward|full</c> overrides the policy.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool initialized;
    private static OneDnnMode mode = OneDnnMode.Off;
    private static OneDnnMode baseMode = OneDnnMode.Off;
    // Open UseOneDnn scopes, oldest first. The mode is the newest one's; scopes released out of order
    // (two threads, each sampling) must not leave a stale mode behind, which "restore the previous" did.
    private static readonly List<OneDnnScope> Scopes = [];
    private static volatile bool nativeEnabled;

    /// <summary>Loads libtorch, uses every core, turns off NNPACK (unsupported here; it only warns) and applies the oneDNN policy.</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (initialized) return;
            using (torch.zeros(1)) { }
            torch.set_num_threads(Threads(Environment.GetEnvironmentVariable("DECOUPLED_THREADS")));
            LibTorchContext.DisableNnpack();
            Policy = ParsePolicy(Environment.GetEnvironmentVariable("DECOUPLED_ONEDNN"));
            initialized = true;
            baseMode = Policy switch { OneDnnPolicy.Forward => OneDnnMode.Forward, OneDnnPolicy.Full => OneDnnMode.Full, _ => OneDnnMode.Off };
            SetMode(baseMode);
        }
    }

    /// <summary>The policy <c>DECOUPLED_ONEDNN</c> chose (auto when unset).</summary>
    public static OneDnnPolicy Policy { get; private set; } = OneDnnPolicy.Auto;

    /// <summary>Where oneDNN runs now.</summary>
    public static OneDnnMode OneDnn
    {
        get { Initialize(); lock (Gate) return mode; }
    }

    /// <summary>Whether forward passes use oneDNN now (<see cref="OneDnn"/> is not <see cref="OneDnnMode.Off"/>).</summary>
    public static bool OneDnnForward => OneDnn != OneDnnMode.Off;

    /// <summary>Whether libtorch would dispatch a convolution to oneDNN at this moment (cheap; read by <see cref="OneDnnConv"/>).</summary>
    public static bool OneDnnActive => nativeEnabled;

    /// <summary>
    /// Sets <see cref="OneDnn"/> to <paramref name="value"/> until the returned scope is disposed; the mode
    /// is always that of the newest open scope, or the policy's own mode when none is open, in whatever
    /// order scopes close. Under a forced policy (not <see cref="OneDnnPolicy.Auto"/>) it changes nothing.
    /// The flag is process-wide in libtorch: two threads that want different modes at once share one.
    /// </summary>
    public static IDisposable UseOneDnn(OneDnnMode value)
    {
        Initialize();
        if (Policy != OneDnnPolicy.Auto) return new OneDnnScope(value, release: false);
        var scope = new OneDnnScope(value, release: true);
        lock (Gate)
        {
            Scopes.Add(scope);
            SetMode(value);
        }
        return scope;
    }

    private static void Release(OneDnnScope scope)
    {
        lock (Gate)
        {
            if (!Scopes.Remove(scope)) return;
            SetMode(Scopes.Count > 0 ? Scopes[^1].Mode : baseMode);
        }
    }

    /// <summary>Back-propagates <paramref name="loss"/>, with oneDNN only in <see cref="OneDnnMode.Full"/>.</summary>
    public static void Backward(Tensor loss)
    {
        Initialize();
        lock (Gate)
        {
            bool previous = nativeEnabled;
            SetNative(mode == OneDnnMode.Full);
            try { loss.backward(); }
            finally { SetNative(previous); }
        }
    }

    /// <summary>
    /// Threads libtorch uses: <c>DECOUPLED_THREADS</c> when set (e.g. 1 for two runs side by side:
    /// two processes that each use every core spin against each other and both crawl), else every core.
    /// </summary>
    public static int Threads(string? value) =>
        value is null or "" ? Environment.ProcessorCount
        : int.TryParse(value, out int n) && n >= 1 ? n
        : throw new UserInputException($"DECOUPLED_THREADS must be a positive number, got '{value}'");

    /// <summary>The policy a <c>DECOUPLED_ONEDNN</c> value names (auto, off, forward, full; unset is auto).</summary>
    public static OneDnnPolicy ParsePolicy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => OneDnnPolicy.Auto,
        "off" or "0" => OneDnnPolicy.Off,
        "forward" => OneDnnPolicy.Forward,
        "full" or "on" or "1" => OneDnnPolicy.Full,
        _ => throw new UserInputException($"DECOUPLED_ONEDNN must be auto, off, forward or full, got '{value}'"),
    };

    private static void SetMode(OneDnnMode value)
    {
        lock (Gate)
        {
            mode = value;
            SetNative(value != OneDnnMode.Off);
        }
    }

    private static void SetNative(bool enabled)
    {
        LibTorchContext.OneDnnEnabled = enabled;
        nativeEnabled = enabled;
    }

    private sealed class OneDnnScope(OneDnnMode mode, bool release) : IDisposable
    {
        public OneDnnMode Mode { get; } = mode;

        public void Dispose()
        {
            if (release) Release(this);
        }
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
            OneDnn: OneDnn, Policy: Policy);
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
/// <param name="OneDnn">Where oneDNN runs at the moment of the report.</param>
/// <param name="Policy">How the engine chooses where oneDNN runs.</param>
public sealed record RuntimeReport(
    string EngineVersion, string DotNetVersion, string TorchSharpVersion, string LibTorchVersion,
    int Threads, int ProcessorCount, bool? LibStdCxxFixNeeded, OneDnnMode OneDnn, OneDnnPolicy Policy);
