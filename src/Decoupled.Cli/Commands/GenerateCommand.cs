using System.CommandLine;
using System.Diagnostics;
using Decoupled.Cli.Infrastructure;
using Decoupled.Generators.Diffusion;
using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Video;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled generate</c>: image-to-video from a checkpoint, a first frame and a label or caption.</summary>
public static class GenerateCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run folder (or its checkpoint/ folder).", Required = true };
        var image = new Option<string?>("--image") { Description = "First frame (PNG/JPG, or a video whose first frame is used) of image-to-video models; resized and centre-cropped to the model's size." };
        var label = new Option<string?>("--label", "--class") { Description = "Class id or name (label models)." };
        var text = new Option<string?>("--text", "--caption") { Description = "Caption (text models)." };
        var frames = new Option<int?>("--frames") { Description = "Frames to generate (default: the model's; videofusion extends longer videos chunk by chunk)." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 50 };
        var sampler = CommonOptions.Sampler(SamplerKind.Ddim);
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale w (1: none).", DefaultValueFactory = _ => 3.0 };
        var eta = new Option<double>("--eta") { Description = "DDIM eta (0: deterministic).", DefaultValueFactory = _ => 0.0 };
        var count = new Option<int>("--count") { Description = "Videos to generate (seeds seed, seed+1, ...).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output .gif or .mp4 (with --count > 1: NAME_0.gif, NAME_1.gif, ...).", Required = true };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw weights instead of their EMA." };
        var deadZone = DeadZoneOption.Create();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var fusion = new VideoFusionGenerateOptions();
        var command = new Command("generate", "Generate videos with a trained checkpoint: from a first frame and a label or caption (vdm, d-vdm, ed-vdm), or from noise (videofusion, and moso: unconditional).")
            { checkpoint, image, label, text, frames, steps, sampler, guidance, eta, count, output, noEma, deadZone, seed, json };
        foreach (var option in fusion.All) command.Options.Add(option);
        var moso = new MosoSamplingOptions(noEma, conditional: false);
        foreach (var option in moso.All) command.Options.Add(option);
        command.SetGuarded(parse =>
        {
            var run = parse.GetValue(checkpoint)!;
            var folder = CommonOptions.ResolveCheckpoint(run);
            if (MosoGeneration.Handles(folder))
            {
                if (parse.GetValue(fusion.Model)?.ToLowerInvariant() is { } asked && asked is not ("moso" or "moso-transformer"))
                    throw new UserInputException($"--model {asked}: {folder} holds a moso-transformer model");
                return MosoGeneration.Run(parse, folder, moso, count, output, seed, json);
            }
            if (VideoFusionGeneration.Handles(parse, fusion, folder))
                return VideoFusionGeneration.Run(parse, folder, fusion,
                    new GenerateOptionSet(label, text, frames, steps, sampler, guidance, eta, count, output, noEma, seed, json));
            var model = VideoDiffusionModel.Load(folder, preferEma: !parse.GetValue(noEma));
            DeadZoneOption.Apply(model, parse.GetValue(deadZone));
            var config = model.Config;
            if (parse.GetValue(frames) is { } f && f != config.Frames)
                throw new UserInputException($"--frames {f}: this model generates {config.Frames} frames (its U-Net was trained at that length)");
            var imagePath = parse.GetValue(image);
            VideoClip? first = null;
            if (config.UsesFirstFrame())
                first = VideoReader.Read(imagePath ?? throw new UserInputException($"--image is required: {config.ModelType} generates from a first frame"),
                    new VideoReadOptions { FrameCount = 1, Size = new FrameSize(config.Width, config.Height) });
            else if (imagePath is not null)
                throw new UserInputException("--image: this vdm model was trained without a first frame (--no-first-frame); it generates from the label or caption alone");
            int n = parse.GetValue(count);
            if (n is < 1 or > 256) throw new UserInputException($"--count must be 1..256, got {n}");
            int? classId = ResolveLabel(parse.GetValue(label), config.ClassNames);
            var caption = parse.GetValue(text);
            if (config.Condition == ConditionKind.Text && caption is null) throw new UserInputException("this model is conditioned on captions: give --text");
            if (config.Condition == ConditionKind.Label && classId is null) throw new UserInputException($"this model is conditioned on labels: give --label (0..{config.ClassNames.Count - 1} or a name)");

            var watch = Stopwatch.StartNew();
            var outputs = new List<string>();
            var clips = new List<VideoClip>();
            long baseSeed = parse.GetValue(seed);
            var outPath = parse.GetValue(output)!;
            IReadOnlyList<int>? ids = classId is null ? null : [classId.Value];
            IReadOnlyList<string>? captions = caption is null ? null : [caption];
            int sampleSteps = parse.GetValue(steps);
            var samplerKind = parse.GetValue(sampler);
            double scale = parse.GetValue(guidance), etaValue = parse.GetValue(eta);
            for (int i = 0; i < n; i++)
            {
                var clip = (first is null
                    ? model.Sample(1, ids, captions, sampleSteps, samplerKind, scale, etaValue, baseSeed + i)
                    : model.Sample([first], ids, captions, sampleSteps, samplerKind, scale, etaValue, baseSeed + i))[0];
                var path = CommonOptions.NumberedOutput(outPath, i, n);
                VideoWriter.Write(clip, path);
                outputs.Add(Path.GetFullPath(path));
                clips.Add(clip);
            }
            double seconds = watch.Elapsed.TotalSeconds;
            double? accuracy = config.Dataset == "shapes" && classId is not null
                ? ActionAccuracyMetric.Evaluate(clips, Enumerable.Repeat(classId.Value, clips.Count).ToList()).Accuracy
                : null;
            AnsiConsole.MarkupLine($"wrote {outputs.Count} video(s) in {seconds:0.0} s" + (accuracy is null ? "" : $"; action accuracy {accuracy:0.00}"));
            CommonOptions.WriteJsonIfAsked(parse, json, new
            {
                model = config.ModelType, outputs, seconds, seconds_per_video = seconds / n, action_accuracy = accuracy,
                label = classId, text = caption, steps = parse.GetValue(steps), guidance = parse.GetValue(guidance),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A class id from <c>--label</c> (an id or a name), or null when none was given.</summary>
    internal static int? ResolveLabel(string? label, IReadOnlyList<string> classNames)
    {
        if (label is null) return null;
        if (int.TryParse(label, out int id))
            return id >= 0 && id < classNames.Count ? id : throw new UserInputException($"--label {id}: expected 0..{classNames.Count - 1}");
        int index = classNames.ToList().FindIndex(n => string.Equals(n, label, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new UserInputException($"--label '{label}': not one of {string.Join(", ", classNames)}");
    }
}
