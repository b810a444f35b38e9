using System.Diagnostics;
using System.Globalization;
using System.Text;
using Decoupled.Generators.Diffusion;
using Decoupled.IO;
using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Bench;

/// <summary>Settings of <see cref="SampleBenchmark"/>.</summary>
public sealed record SampleBenchmarkOptions
{
    /// <summary>Models to compare: vdm (the base U-Net made 3D with temporal attention) and videofusion; the first is the reference for ratios.</summary>
    public IReadOnlyList<string> Models { get; init; } = ["vdm", "videofusion"];

    /// <summary>Frames per clip.</summary>
    public int Frames { get; init; } = 16;

    /// <summary>Frame side.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Base width of the base U-Net (and so of VDM).</summary>
    public int Width { get; init; } = 32;

    /// <summary>Base width of VideoFusion's residual U-Net (null: half of <see cref="Width"/>).</summary>
    public int? ResidualWidth { get; init; }

    /// <summary>Width multipliers of both U-Nets.</summary>
    public IReadOnlyList<int> Multipliers { get; init; } = [1, 2, 4];

    /// <summary>Timed denoising steps (after one warm-up sampling call).</summary>
    public int Steps { get; init; } = 10;

    /// <summary>Classifier-free guidance scale (1: one conditional pass per step).</summary>
    public double Guidance { get; init; } = 1.0;
}

/// <summary>The JSON of <c>bench sample</c>: the shared <c>models</c> list plus the settings.</summary>
/// <param name="Benchmark">"sample".</param>
/// <param name="Settings">What was measured.</param>
/// <param name="Models">One row per model.</param>
/// <param name="Note">How the columns were measured.</param>
public sealed record SampleBenchmarkResult(string Benchmark, SampleBenchmarkOptions Settings, IReadOnlyList<ModelBenchmarkRow> Models, string Note)
{
    /// <summary>Markdown table with the changes relative to the first model (the paper's Table 4 reports -21.8% memory, -57.5% latency).</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# Sampling benchmark: {Settings.Frames}x{Settings.Size}x{Settings.Size}, base U-Net width {Settings.Width} x [{string.Join(",", Settings.Multipliers)}], guidance {Settings.Guidance}");
        s.AppendLine();
        s.AppendLine(Note);
        s.AppendLine();
        s.AppendLine("| model | parameters | GFLOPs/step | s/step | peak memory MB | memory above baseline MB | s/step vs first | memory vs first | oneDNN |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var m in Models)
        {
            var r = m.RatioToReference ?? new Dictionary<string, double>();
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Model} | {m.Parameters:N0} | {m.GflopsPerDenoisingStep:G3} | {m.SecondsPerDenoisingStep:0.0000} | {m.PeakMemoryMb:0} | {m.MemoryAboveBaselineMb:0} | {Change(r.GetValueOrDefault("seconds_per_denoising_step", 1))} | {Change(r.GetValueOrDefault("memory_above_baseline_mb", 1))} | {m.OneDnn ?? "-"} |");
        }
        return s.ToString();
    }

    /// <summary>Writes JSON atomically.</summary>
    public void WriteJson(string path) => JsonFile.Write(path, this);

    /// <summary>Writes Markdown atomically.</summary>
    public void WriteMarkdown(string path) => AtomicFile.WriteAllText(path, ToMarkdown());

    private static string Change(double ratio) => (ratio - 1).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
}

/// <summary>
/// Section 4.4 / Table 4: seconds per denoising step and peak memory of VideoFusion against a VDM built
/// from the same base U-Net (made 3D: temporal attention in every block, all frames in one pass),
/// measured in one process, one model after the other.
/// </summary>
public static class SampleBenchmark
{
    /// <summary>Measures every model in turn.</summary>
    public static SampleBenchmarkResult Run(SampleBenchmarkOptions options, Action<string>? log = null)
    {
        TorchRuntime.Initialize();
        if (options.Steps < 2) throw new UserInputException($"--steps must be at least 2 (the time per step is measured between steps), got {options.Steps}");
        var classes = Video.Datasets.Shapes.ShapeAction.All.Select(a => a.Name).ToList();
        var fusionConfig = VideoFusionConfigs.Create(options.Frames, options.Size, options.Width, options.ResidualWidth ?? Math.Max(2, options.Width / 4 * 2),
            options.Multipliers, ConditionKind.Label, classes);
        // A first, unmeasured round pays the one-time costs (kernel and thread-pool set-up, first
        // allocations) that would otherwise be charged to whichever model runs first.
        foreach (var name in options.Models)
            Measure(name, fusionConfig, options with { Steps = 2 }, null);
        var rows = new List<ModelBenchmarkRow>();
        foreach (var name in options.Models)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            PeakMemory.ReleaseFreedMemory();
            PeakMemory.Reset();
            double baseline = PeakMemory.CurrentMb();
            log?.Invoke($"{name}: building");
            torch.manual_seed(0);
            var row = Measure(name, fusionConfig, options, log);
            double peak = PeakMemory.PeakMb();
            rows.Add(row with { PeakMemoryMb = peak, MemoryAboveBaselineMb = peak - baseline, OneDnn = TorchRuntime.OneDnn.ToString().ToLowerInvariant() });
            log?.Invoke($"{name}: {row.SecondsPerDenoisingStep:0.0000} s/step, peak {peak:0} MB ({peak - baseline:0} MB above {baseline:0})");
        }
        var reference = rows[0];
        rows = rows.Select(r => r with
        {
            RatioToReference = new Dictionary<string, double>
            {
                ["seconds_per_denoising_step"] = r.SecondsPerDenoisingStep!.Value / reference.SecondsPerDenoisingStep!.Value,
                ["peak_memory_mb"] = r.PeakMemoryMb!.Value / reference.PeakMemoryMb!.Value,
                ["memory_above_baseline_mb"] = r.MemoryAboveBaselineMb!.Value / reference.MemoryAboveBaselineMb!.Value,
                ["gflops_per_denoising_step"] = r.GflopsPerDenoisingStep!.Value / reference.GflopsPerDenoisingStep!.Value,
                ["parameters"] = (double)r.Parameters!.Value / reference.Parameters!.Value,
            },
        }).ToList();
        const string note = "Both models sample one label-conditioned clip with DDIM in one process. VDM is VideoFusion's base U-Net made 3D (temporal attention with relative position bias in every block; all frames in one pass); VideoFusion runs its 2D base U-Net on the base frame and its residual U-Net on the other frames. Every model first runs once unmeasured, so one-time set-up costs fall on none of them. Seconds per step are wall clock between the first and last step of the timed run (after one more warm-up call), with oneDNN where the forward self-check allowed it. Peak memory is the process's peak resident set (VmHWM, reset before each model, after the previous model's freed memory went back to the system); 'above baseline' subtracts the resident size at that reset, which the ratios use. GFLOPs are counted analytically from the U-Net configurations (2 x multiply-accumulates of one forward pass per generator).";
        return new SampleBenchmarkResult("sample", options, rows, note);
    }

    private static ModelBenchmarkRow Measure(string name, VideoFusionConfig fusion, SampleBenchmarkOptions options, Action<string>? log) => name switch
    {
        "vdm" => MeasureVdm(fusion, options, log),
        "videofusion" => MeasureVideoFusion(fusion, options, log),
        _ => throw new UserInputException($"--models: bench sample compares vdm and videofusion, got '{name}'"),
    };

    private static ModelBenchmarkRow MeasureVdm(VideoFusionConfig fusion, SampleBenchmarkOptions options, Action<string>? log)
    {
        var config = fusion.Base with { TemporalAttention = true, MaxFrames = Math.Max(32, options.Frames) };
        using var unet = new UNet3D(config);
        unet.eval();
        var schedule = new NoiseSchedule(fusion.Schedule);
        using var ids = torch.tensor(new long[] { 0 });
        var conditional = new UNetConditioning(ids);
        Func<Tensor, Tensor, Tensor> model = (x, t) => unet.call(x, t, conditional);
        if (options.Guidance != 1.0)
            model = ClassifierFreeGuidance.Guide(model, (x, t) => unet.call(x, t, conditional.Unconditional(1)), options.Guidance);
        long[] shape = [1, 3, options.Frames, options.Size, options.Size];
        double Sample(int steps, Action<SamplingProgress>? progress)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(0);
            var noise = torch.randn(shape, generator: generator);
            using var firstStep = torch.full([1], schedule.TrainSteps - 1, dtype: ScalarType.Int64);
            using var oneDnn = OneDnnSelfCheck.UseVerifiedForSampling(() => unet.call(noise, firstStep, conditional), out _);
            var watch = Stopwatch.StartNew();
            DiffusionSampling.Run(model, noise, new DdimSampler(schedule), steps, generator: generator, progress: progress);
            return watch.Elapsed.TotalSeconds;
        }
        double perStep = TimePerStep(Sample, options.Steps, log, "vdm");
        return new ModelBenchmarkRow
        {
            Model = "vdm", Parameters = unet.ParameterCount, SecondsPerDenoisingStep = perStep,
            GflopsPerDenoisingStep = unet.CountFlops(1, options.Frames, options.Size, options.Size).ForwardGflops * GuidancePasses(options),
        };
    }

    private static ModelBenchmarkRow MeasureVideoFusion(VideoFusionConfig config, SampleBenchmarkOptions options, Action<string>? log)
    {
        var model = new VideoFusionModel(config);
        double Sample(int steps, Action<SamplingProgress>? progress)
        {
            var watch = Stopwatch.StartNew();
            model.Sample([NoiseSeeds.From(0)], [0], options: new VideoFusionSampleOptions { Steps = steps, Guidance = options.Guidance }, progress: progress);
            return watch.Elapsed.TotalSeconds;
        }
        double perStep = TimePerStep(Sample, options.Steps, log, "videofusion");
        var network = model.Network;
        double gflops = network.BaseGenerator.CountFlops(1, 1, options.Size, options.Size).ForwardGflops
            + network.ResidualGenerator!.CountFlops(options.Frames - 1, 1, options.Size, options.Size).ForwardGflops;
        long parameters = network.BaseGenerator.ParameterCount + network.ResidualGenerator.ParameterCount;
        network.Dispose();
        return new ModelBenchmarkRow
        {
            Model = "videofusion", Parameters = parameters, SecondsPerDenoisingStep = perStep, GflopsPerDenoisingStep = gflops * GuidancePasses(options),
        };
    }

    // One warm-up call, then the time between the first and the last progress report of a timed run.
    private static double TimePerStep(Func<int, Action<SamplingProgress>?, double> sample, int steps, Action<string>? log, string name)
    {
        sample(1, null);
        var stamps = new List<double>();
        var clock = Stopwatch.StartNew();
        double total = sample(steps, _ => stamps.Add(clock.Elapsed.TotalSeconds));
        log?.Invoke($"{name}: {steps} steps in {total:0.00} s");
        return (stamps[^1] - stamps[0]) / (stamps.Count - 1);
    }

    private static int GuidancePasses(SampleBenchmarkOptions options) => options.Guidance == 1.0 ? 1 : 2;
}
