using Decoupled.Cli.Infrastructure;
using System.CommandLine;
using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary>Builds a VDM, D-VDM or ED-VDM training run from the <c>train</c> options.</summary>
internal static class VideoDiffusionTraining
{
    /// <summary>The run <paramref name="modelType"/> and the options describe.</summary>
    public static TrainingSetup Prepare(ParseResult parse, TrainOptions o, string modelType)
    {
        int k = parse.GetValue(o.Frames), s = parse.GetValue(o.Size);
        long seed = parse.GetValue(o.Seed);
        var source = TrainCommand.OpenSource(parse.GetValue(o.Data)!, k, s, seed);
        var multipliers = TrainCommand.ParseInts(parse.GetValue(o.Multipliers)!, "--mults");
        var condition = parse.GetValue(o.Condition);
        int width = parse.GetValue(o.Width);
        var prediction = DiffusionObjectiveOptions.Prediction(parse, o);
        var weighting = DiffusionObjectiveOptions.Weighting(parse, o);
        ResidualVaeModel? vae = null;
        VideoDiffusionConfig config;
        if (modelType == "ed-vdm")
        {
            if (parse.GetValue(o.Differences) is not null) throw new UserInputException("--differences applies to --model d-vdm only");
            var vaeRun = parse.GetValue(o.Vae) ?? throw new UserInputException("--model ed-vdm needs --vae RUN (a residual autoencoder trained with --model ed-vdm-vae)");
            var vaeFolder = CommonOptions.ResolveCheckpoint(vaeRun, "--vae");
            vae = ResidualVaeModel.Load(vaeFolder);
            var (latentScale, estimatedVectorScale) = EstimateTargetScales(vae, source);
            double vectorScale = parse.GetValue(o.VectorScale) ?? estimatedVectorScale;
            if (!(vectorScale > 0 && double.IsFinite(vectorScale))) throw new UserInputException($"--vector-scale must be a positive number, got {vectorScale}");
            double vectorLossWeight = parse.GetValue(o.VectorLossWeight) ?? 1.0;
            if (!(vectorLossWeight > 0 && double.IsFinite(vectorLossWeight))) throw new UserInputException($"--vector-loss-weight must be a positive number, got {vectorLossWeight}");
            double activeBlockWeight = parse.GetValue(o.ActiveBlockWeight) ?? 1.0;
            if (!(activeBlockWeight > 0 && double.IsFinite(activeBlockWeight))) throw new UserInputException($"--active-block-weight must be a positive number, got {activeBlockWeight}");
            double activeBlockThreshold = parse.GetValue(o.ActiveBlockThreshold) ?? 0.5;
            if (!(activeBlockThreshold >= 0 && double.IsFinite(activeBlockThreshold))) throw new UserInputException($"--active-block-threshold must be a non-negative number, got {activeBlockThreshold}");
            config = VideoDiffusionConfigs.CreateEdVdm(k, s, width, multipliers, condition, source.ClassNames, vae.Config.Vae,
                vae.Config.SearchRange, latentScale, source.Name, prediction, vectorScale, vae.Config.VectorCost)
                with { VectorLossWeight = vectorLossWeight, ActiveBlockLossWeight = activeBlockWeight, ActiveBlockThreshold = activeBlockThreshold };
        }
        else
        {
            if (parse.GetValue(o.VectorLossWeight) is not null) throw new UserInputException("--vector-loss-weight applies to --model ed-vdm only");
            if (parse.GetValue(o.ActiveBlockWeight) is not null || parse.GetValue(o.ActiveBlockThreshold) is not null)
                throw new UserInputException("--active-block-weight and --active-block-threshold apply to --model ed-vdm only");
            var reference = DifferenceReferenceOf(parse.GetValue(o.Differences), modelType);
            double scale = parse.GetValue(o.DifferenceScale) ?? (modelType == "d-vdm" ? EstimateDifferenceScale(source, reference) : 0.5);
            if (!(scale > 0 && double.IsFinite(scale))) throw new UserInputException($"--difference-scale must be a positive number, got {scale}");
            config = VideoDiffusionConfigs.Create(modelType, k, s, width, multipliers, condition, source.ClassNames, source.Name, scale, prediction);
            if (reference == DifferenceReference.FirstFrame)
                config = config with { TargetSpace = FrameDifferenceTargetSpace.FirstFrameName };
        }
        config = config with { Weighting = weighting };
        if (parse.GetValue(o.NoFirstFrame))
            config = VideoDiffusionConfigs.WithoutFirstFrame(config);
        if (parse.GetValue(o.Patch) is int patch)
        {
            if (patch < 1) throw new UserInputException($"--patch must be a whole number of pixels >= 1, got {patch}");
            config = config with { UNet = config.UNet with { PatchSize = patch } };
        }
        if (parse.GetValue(o.NoFramePositions))
            config = config with { UNet = config.UNet with { FramePositions = false } };
        int factor = config.Vae?.DownsamplingFactor ?? 1;
        if (config.UNet.InputSizeProblem(k, s / factor, s / factor) is { } problem) throw new UserInputException(problem);

        var options = TrainCommand.TrainingOptionsFrom(parse, o);
        torch.manual_seed(seed);
        var pipeline = new VideoDiffusionModel(config);
        if (vae is not null)
            pipeline.Network.ResidualVae!.load_state_dict(vae.Vae.state_dict());
        var runFolder = parse.GetValue(o.Out)!.FullName;
        Func<long, VideoBatch> batches = step => VideoBatch.Draw(source, step, options.BatchSize);
        int cacheClips = parse.GetValue(o.CacheClips) ?? (modelType == "ed-vdm" ? 4096 : 0);
        if (cacheClips < 0) throw new UserInputException($"--cache-clips must be 0 (encode every batch) or a clip count, got {cacheClips}");
        if (cacheClips > 0)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var cache = OpenOrBuildCache(Path.Combine(runFolder, "target_cache.safetensors"), source, pipeline.TargetSpace, cacheClips,
                bf16: parse.GetValue(o.CachePrecision) == "bf16");
            // --time-limit covers the whole run, encoding included.
            if (options.MaxSeconds is { } limit)
                options = options with { MaxSeconds = Math.Max(1, limit - clock.Elapsed.TotalSeconds) };
            batches = step => cache.Draw(step, options.BatchSize, options.Seed);
        }
        var trainer = new Trainer<VideoBatch>(pipeline, options, runFolder);
        long parameters = pipeline.Network.UNet.ParameterCount;
        return TrainingSetup.For(
            $"training {modelType} ({parameters:N0} U-Net parameters) on {source.Name}: {k}x{s}x{s}, batch {options.BatchSize}, {options.Steps} steps -> {trainer.Folder.Path}",
            parameters, trainer, options.Steps, batches);
    }

    // A run keeps its encoded clips next to its checkpoint, so --resume does not encode them again.
    private static TargetCache OpenOrBuildCache(string path, IClipSource source, IVideoTargetSpace space, int count, bool bf16)
    {
        if (File.Exists(path))
        {
            var existing = TargetCache.Load(path);
            if (existing.Count == count && existing.TargetSpace == space.Name)
            {
                Console.WriteLine($"target cache: {count} clips from {path}");
                return existing;
            }
            existing.Dispose();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int reported = 0;
        var cache = TargetCache.Build(source, space, count, bf16: bf16, progress: done =>
        {
            if (done * 10L / count <= reported && done < count) return;
            reported = (int)(done * 10L / count);
            Console.WriteLine($"target cache: encoded {done}/{count} clips ({clock.Elapsed.TotalSeconds:F0} s)");
        });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        cache.Save(path);
        Console.WriteLine($"target cache: {count} clips encoded ({(cache.EncodedInBf16 ? "bf16" : "fp32")}) in {clock.Elapsed.TotalSeconds:F1} s -> {path}" + (cache.EncodingCheck is { } check ? $" ({check})" : ""));
        return cache;
    }

    // Unit variance over the first 32 training clips: deterministic, so a resumed run gets the same scale.
    private static double EstimateDifferenceScale(IClipSource source, DifferenceReference reference)
    {
        using var scope = torch.NewDisposeScope();
        using var batch = VideoBatch.Draw(source, step: 0, batchSize: 32);
        return FrameDifferenceTargetSpace.UnitVarianceScale(batch.Video, reference);
    }

    private static DifferenceReference DifferenceReferenceOf(string? value, string modelType) => value switch
    {
        null => DifferenceReference.PreviousFrame,
        _ when modelType != "d-vdm" => throw new UserInputException("--differences applies to --model d-vdm only"),
        "previous" => DifferenceReference.PreviousFrame,
        "first" => DifferenceReference.FirstFrame,
        _ => throw new UserInputException($"--differences must be previous or first, got '{value}'"),
    };

    // 1 / std of the residual latents (latent diffusion's scale factor) and of the vectors, over the
    // first 16 training clips: deterministic, so a resumed run gets the same scales.
    private static (double Latents, double Vectors) EstimateTargetScales(ResidualVaeModel vae, IClipSource source)
    {
        using var scope = torch.NewDisposeScope();
        var space = new MotionResidualTargetSpace(vae.Vae, vae.Config.Codec(), latentScale: 1.0);
        using var batch = VideoBatch.Draw(source, step: 0, batchSize: 16);
        var target = space.Encode(batch.Video);
        return (UnitVarianceScale(target.narrow(1, 2, target.shape[1] - 2)), UnitVarianceScale(target.narrow(1, 0, 2)));
    }

    // Still footage has no vector variance at all; it then keeps the factor 1.
    private static double UnitVarianceScale(torch.Tensor values)
    {
        double std = values.std().item<float>();
        return std > 1e-6 ? Math.Round(1.0 / std, 4) : 1.0;
    }
}
