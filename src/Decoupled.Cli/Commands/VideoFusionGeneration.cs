using System.CommandLine;
using System.Diagnostics;
using Decoupled.Cli.Infrastructure;
using Decoupled.Generators.Diffusion;
using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;
using Decoupled.Video;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary>The options <c>generate</c> has only for VideoFusion.</summary>
internal sealed class VideoFusionGenerateOptions
{
    public Option<string?> Model { get; } = new("--model") { Description = "videofusion or moso: check that the checkpoint holds this model (it is read from the checkpoint either way)." };
    public Option<long?> FixBaseNoise { get; } = new("--fix-base-noise") { Description = "videofusion: one base-noise seed for every video (same content, other motion; Figure 1)." };
    public Option<long?> FixResidualNoise { get; } = new("--fix-residual-noise") { Description = "videofusion: one residual-noise seed for every video (same motion, other content; Figure 1)." };
    public Option<int?> ContextFrames { get; } = new("--context-frames") { Description = "videofusion, with --frames beyond the model's: frames of the previous chunk that condition the next (default floor(N/2)+1)." };

    public IEnumerable<Option> All => [Model, FixBaseNoise, FixResidualNoise, ContextFrames];
}

/// <summary>The options <c>generate</c> shares between its models.</summary>
internal sealed record GenerateOptionSet(
    Option<string?> Label, Option<string?> Text, Option<int?> Frames, Option<int> Steps, Option<SamplerKind> Sampler, Option<double> Guidance,
    Option<double> Eta, Option<int> Count, Option<string> Output, Option<bool> NoEma, Option<int> Seed, Option<FileInfo?> Json);

/// <summary><c>decoupled generate</c> for VideoFusion: unconditional or label/caption videos from noise, with content/motion control and long videos.</summary>
internal static class VideoFusionGeneration
{
    /// <summary>Whether the checkpoint (or <c>--model</c>) asks for VideoFusion; a <c>--model</c> that contradicts the checkpoint is a user error.</summary>
    public static bool Handles(ParseResult parse, VideoFusionGenerateOptions fusion, string folder)
    {
        var type = CheckpointFolder.ReadModelType(folder);
        var asked = parse.GetValue(fusion.Model)?.ToLowerInvariant();
        if (asked is not null && asked != type)
            throw new UserInputException($"--model {asked}: {folder} holds a '{type}' model");
        bool isFusion = type == VideoFusionConfig.FullType;
        if (!isFusion && (parse.GetValue(fusion.FixBaseNoise) is not null || parse.GetValue(fusion.FixResidualNoise) is not null || parse.GetValue(fusion.ContextFrames) is not null))
            throw new UserInputException($"--fix-base-noise, --fix-residual-noise and --context-frames belong to videofusion; {folder} holds a '{type}' model");
        return isFusion;
    }

    /// <summary>Generates <c>--count</c> videos and writes them; returns the exit code.</summary>
    public static int Run(ParseResult parse, string folder, VideoFusionGenerateOptions fusion, GenerateOptionSet o)
    {
        var model = VideoFusionModel.Load(folder, preferEma: !parse.GetValue(o.NoEma));
        var config = model.Config;
        int n = parse.GetValue(o.Count);
        if (n is < 1 or > 256) throw new UserInputException($"--count must be 1..256, got {n}");
        int? classId = GenerateCommand.ResolveLabel(parse.GetValue(o.Label), config.ClassNames);
        var caption = parse.GetValue(o.Text);
        switch (config.Condition)
        {
            case ConditionKind.Label when classId is null:
                throw new UserInputException($"this model is conditioned on labels: give --label (0..{config.ClassNames.Count - 1} or a name)");
            case ConditionKind.Text when caption is null:
                throw new UserInputException("this model is conditioned on captions: give --text");
            case ConditionKind.None when classId is not null || caption is not null:
                throw new UserInputException("this model is unconditional: leave out --label and --text");
        }
        if (config.Condition != ConditionKind.Label) classId = null;
        if (config.Condition != ConditionKind.Text) caption = null;
        long seed = parse.GetValue(o.Seed);
        long? fixedBase = parse.GetValue(fusion.FixBaseNoise), fixedResidual = parse.GetValue(fusion.FixResidualNoise);
        var seeds = Enumerable.Range(0, n).Select(i => new NoiseSeeds(fixedBase ?? seed + i, fixedResidual ?? seed + i)).ToList();
        var options = new VideoFusionSampleOptions
        {
            Steps = parse.GetValue(o.Steps), Sampler = parse.GetValue(o.Sampler), Guidance = parse.GetValue(o.Guidance), Eta = parse.GetValue(o.Eta),
            Frames = parse.GetValue(o.Frames), ContextFrames = parse.GetValue(fusion.ContextFrames),
        };
        if (!(options.Eta >= 0 && options.Eta <= 1)) throw new UserInputException($"--eta must lie in [0, 1], got {options.Eta}");
        if (!(options.Guidance >= 0 && double.IsFinite(options.Guidance))) throw new UserInputException($"--guidance must be a number >= 0, got {options.Guidance}");

        var watch = Stopwatch.StartNew();
        var clips = model.Sample(seeds, classId is null ? null : Enumerable.Repeat(classId.Value, n).ToList(),
            caption is null ? null : Enumerable.Repeat(caption, n).ToList(), options);
        double seconds = watch.Elapsed.TotalSeconds;
        var outPath = parse.GetValue(o.Output)!;
        var outputs = new List<string>();
        for (int i = 0; i < n; i++)
        {
            var path = CommonOptions.NumberedOutput(outPath, i, n);
            VideoWriter.Write(clips[i], path);
            outputs.Add(Path.GetFullPath(path));
        }
        double? accuracy = config.Dataset == "shapes" && classId is not null
            ? ActionAccuracyMetric.Evaluate(clips, Enumerable.Repeat(classId.Value, n).ToList()).Accuracy
            : null;
        AnsiConsole.MarkupLine($"wrote {n} video(s) of {clips[0].Frames} frames in {seconds:0.0} s" + (accuracy is null ? "" : $"; action accuracy {accuracy:0.00}"));
        CommonOptions.WriteJsonIfAsked(parse, o.Json, new
        {
            model = config.ModelType, outputs, frames = clips[0].Frames, seconds, seconds_per_video = seconds / n, action_accuracy = accuracy,
            label = classId, text = caption, steps = options.Steps, guidance = options.Guidance,
            base_seeds = seeds.Select(s => s.Base), residual_seeds = seeds.Select(s => s.Residual),
        });
        return ExitCodes.Ok;
    }
}
