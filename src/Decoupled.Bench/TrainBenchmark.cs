using System.Diagnostics;
using System.Globalization;
using System.Text;
using Decoupled.IO;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Bench;

/// <summary>Settings of <see cref="TrainBenchmark"/>.</summary>
public sealed record TrainBenchmarkOptions
{
    /// <summary>Models to compare (vdm, d-vdm, ed-vdm).</summary>
    public IReadOnlyList<string> Models { get; init; } = ["vdm", "d-vdm"];

    /// <summary>Frames per clip.</summary>
    public int Frames { get; init; } = 16;

    /// <summary>Frame side.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Clips per training step.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>U-Net base width (the same for every model).</summary>
    public int Width { get; init; } = 32;

    /// <summary>Width multipliers.</summary>
    public IReadOnlyList<int> Multipliers { get; init; } = [1, 2, 4];

    /// <summary>VDM and D-VDM: side of the pixel patches folded into the U-Net's channels (<see cref="Nn.UNet.UNet3DConfig.PatchSize"/>; 1 = none).</summary>
    public int Patch { get; init; } = 1;

    /// <summary>Training steps timed after one warm-up step.</summary>
    public int Steps { get; init; } = 3;

    /// <summary>DDIM steps for the sampling time.</summary>
    public int SampleSteps { get; init; } = 50;
}

/// <summary>The JSON of <c>bench train</c>: the shared <c>models</c> list plus the settings.</summary>
/// <param name="Benchmark">"train".</param>
/// <param name="Settings">What was measured.</param>
/// <param name="Models">One row per model.</param>
/// <param name="Note">How the columns were measured.</param>
public sealed record TrainBenchmarkResult(string Benchmark, TrainBenchmarkOptions Settings, IReadOnlyList<ModelBenchmarkRow> Models, string Note)
{
    /// <summary>Markdown table with ratios to the first model.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# Training benchmark: {Settings.Frames}x{Settings.Size}x{Settings.Size}, batch {Settings.Batch}, U-Net width {Settings.Width} x [{string.Join(",", Settings.Multipliers)}]{(Settings.Patch > 1 ? $", {Settings.Patch}x{Settings.Patch} patches (VDM, D-VDM)" : "")}");
        s.AppendLine();
        s.AppendLine(Note);
        s.AppendLine();
        s.AppendLine("| model | parameters | GFLOPs/step | peak memory MB | s/step | s/step, cached target | s/video (DDIM " + Settings.SampleSteps + ") | FLOPs vs first | s/step vs first | cached s/step vs first | oneDNN |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in Models)
        {
            var r = m.RatioToReference ?? new Dictionary<string, double>();
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Model} | {m.Parameters:N0} | {m.Gflops:G3} | {m.PeakMemoryMb:0} | {m.SecondsPerStep:0.000} | {m.SecondsPerCachedStep:0.000} | {m.SecondsPerVideo:0.0} | {r.GetValueOrDefault("gflops", 1):G3}x | {r.GetValueOrDefault("seconds_per_step", 1):G3}x | {r.GetValueOrDefault("seconds_per_cached_step", 1):G3}x | {m.OneDnn ?? "-"} |");
        }
        return s.ToString();
    }

    /// <summary>Writes JSON atomically.</summary>
    public void WriteJson(string path) => JsonFile.Write(path, this);

    /// <summary>Writes Markdown atomically.</summary>
    public void WriteMarkdown(string path) => AtomicFile.WriteAllText(path, ToMarkdown());
}

/// <summary>
/// Per training step: seconds, analytic GFLOPs, peak memory and parameters, plus seconds to sample
/// one video, for models built with the same U-Net width (the paper's efficiency table).
/// </summary>
public static class TrainBenchmark
{
    /// <summary>Measures every model in turn.</summary>
    public static TrainBenchmarkResult Run(TrainBenchmarkOptions options, Action<string>? log = null)
    {
        TorchRuntime.Initialize();
        var rows = new List<ModelBenchmarkRow>();
        var source = new ShapesClipSource(options.Frames, options.Size, options.Size, seed: 1);
        foreach (var name in options.Models)
        {
            log?.Invoke($"{name}: building");
            torch.manual_seed(0);
            var model = new VideoDiffusionModel(Config(name, options));
            PeakMemory.Reset();
            using var optimizer = optim.AdamW(model.Network.parameters(), lr: 1e-4);
            double Step(long step, bool cached = false)
            {
                var watch = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                using var clips = VideoBatch.Draw(source, step, options.Batch);
                var batch = clips;
                if (cached)
                {
                    // As the target cache hands it to the trainer (first frame + encoded target); the encoding is not timed.
                    using var noGrad = no_grad();
                    batch = new VideoBatch(clips.Video.narrow(2, 0, 1), clips.ClassIds, clips.Captions, model.TargetSpace.Encode(clips.Video));
                    watch.Restart();
                }
                using var generator = StepRandom.Generator(0, step, StepRandom.LossStream);
                optimizer.zero_grad();
                TorchRuntime.Backward(model.Loss(batch, generator));
                optimizer.step();
                return watch.Elapsed.TotalSeconds;
            }
            // The same oneDNN self-check the trainer runs, on the first batch.
            OneDnnCheck? check;
            using (var first = VideoBatch.Draw(source, 0, options.Batch))
            using (var checkGenerator = StepRandom.Generator(0, 0, StepRandom.LossStream))
            using (OneDnnSelfCheck.UseVerifiedForTraining(model.Network, () => model.Loss(first, checkGenerator), out check)) { }
            using var oneDnn = TorchRuntime.UseOneDnn(check?.Mode ?? TorchRuntime.OneDnn);
            log?.Invoke($"{name}: {check?.ToString() ?? "oneDNN " + TorchRuntime.OneDnn.ToString().ToLowerInvariant() + " (forced by DECOUPLED_ONEDNN)"}");
            Step(0);
            double seconds = Enumerable.Range(1, options.Steps).Select(s => Step(s)).Average();
            double cachedSeconds = Enumerable.Range(1, options.Steps).Select(s => Step(s, cached: true)).Average();
            log?.Invoke($"{name}: {seconds:0.000} s/step ({cachedSeconds:0.000} with a cached target); sampling");
            var item = source.Draw(0, 0);
            var watch = Stopwatch.StartNew();
            model.Sample([item.Clip], [item.ClassId], [item.Caption], steps: options.SampleSteps);
            double sampleSeconds = watch.Elapsed.TotalSeconds;
            var unet = model.Network.UNet;
            int grid = options.Size / model.TargetSpace.SpatialFactor;   // ED-VDM's U-Net works on the block grid
            var flops = unet.CountFlops(options.Batch, model.TargetSpace.TargetFrames(options.Frames), grid, grid);
            rows.Add(new ModelBenchmarkRow
            {
                Model = name, Gflops = flops.TrainingStepGflops, PeakMemoryMb = PeakMemory.PeakMb(), SecondsPerStep = seconds, SecondsPerCachedStep = cachedSeconds,
                SecondsPerVideo = sampleSeconds, Parameters = unet.ParameterCount, OneDnn = TorchRuntime.OneDnn.ToString().ToLowerInvariant(),
            });
        }
        var reference = rows[0];
        rows = rows.Select(r => r with
        {
            RatioToReference = new Dictionary<string, double>
            {
                ["gflops"] = r.Gflops!.Value / reference.Gflops!.Value,
                ["seconds_per_step"] = r.SecondsPerStep!.Value / reference.SecondsPerStep!.Value,
                ["seconds_per_cached_step"] = r.SecondsPerCachedStep!.Value / reference.SecondsPerCachedStep!.Value,
                ["peak_memory_mb"] = r.PeakMemoryMb!.Value / reference.PeakMemoryMb!.Value,
                ["seconds_per_video"] = r.SecondsPerVideo!.Value / reference.SecondsPerVideo!.Value,
            },
        }).ToList();
        const string note = "GFLOPs are counted analytically from the U-Net configuration (2 x multiply-accumulates of convolutions, linears and attention; a training step counted as 3x the forward pass). Peak memory is the process's peak resident set while the model was built, trained and sampled (VmHWM, reset per model). Seconds are wall clock on this machine, one warm-up step excluded (s/step includes drawing the clips and, for ED-VDM, the codec and residual encoder; the cached column times the step on a target encoded beforehand, as train --cache-clips does), with oneDNN where the self-check against the reference kernels allowed it (column one_dnn; sampling runs its own forward-only check).";
        return new TrainBenchmarkResult("train", options, rows, note);
    }

    private static VideoDiffusionConfig Config(string name, TrainBenchmarkOptions o)
    {
        var classes = Video.Datasets.Shapes.ShapeAction.All.Select(a => a.Name).ToList();
        if (name != "ed-vdm")
        {
            var config = VideoDiffusionConfigs.Create(name, o.Frames, o.Size, o.Width, o.Multipliers, ConditionKind.Label, classes);
            return config with { UNet = config.UNet with { PatchSize = o.Patch } };
        }
        // ED-VDM: a fresh 16x autoencoder (its weights do not change the cost) and as many U-Net
        // levels as the block grid allows.
        var vae = Nn.Autoencoders.ResidualVaeConfig.ForBlockSize(16);
        int grid = o.Size / vae.DownsamplingFactor, levels = 1;
        while (levels < o.Multipliers.Count && grid % (1 << levels) == 0) levels++;
        return VideoDiffusionConfigs.CreateEdVdm(o.Frames, o.Size, o.Width, o.Multipliers.Take(levels).ToList(), ConditionKind.Label, classes, vae,
            searchRange: 16, latentScale: 1.0);
    }
}
