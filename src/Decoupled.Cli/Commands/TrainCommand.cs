using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Video.Datasets;
using Spectre.Console;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled train</c>: train a model on shapes or a folder dataset, with checkpoints, logs, previews and resume.</summary>
public static class TrainCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "vdm (pixels) or d-vdm (frame differences).", Required = true };
        var data = new Option<string>("--data") { Description = "shapes, or a folder dataset (one subfolder per class).", DefaultValueFactory = _ => "shapes" };
        var frames = new Option<int>("--frames") { Description = "Frames per clip (first frame included).", DefaultValueFactory = _ => 16 };
        var size = new Option<int>("--size") { Description = "Frame side in pixels.", DefaultValueFactory = _ => 32 };
        var steps = new Option<long>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Clips per step.", DefaultValueFactory = _ => 8 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => 2e-4 };
        var warmup = new Option<long>("--warmup") { Description = "Linear warm-up steps.", DefaultValueFactory = _ => 200 };
        var width = new Option<int>("--width") { Description = "U-Net base channels.", DefaultValueFactory = _ => 32 };
        var mults = new Option<string>("--mults") { Description = "U-Net width multipliers per level, comma separated.", DefaultValueFactory = _ => "1,2,4" };
        var condition = new Option<ConditionKind>("--condition") { Description = "label, text or none.", DefaultValueFactory = _ => ConditionKind.Label };
        var checkpointEvery = new Option<long>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 500 };
        var previewEvery = new Option<long>("--preview-every") { Description = "Steps between preview GIFs (0: none).", DefaultValueFactory = _ => 500 };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Stop (with a checkpoint) after this many minutes." };
        var bf16 = new Option<bool>("--bf16") { Description = "bfloat16 autocast for matmuls and convolutions (faster on AVX-512 BF16 CPUs)." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Run folder (checkpoint/, log.csv, log.jsonl, loss.png, previews/).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's checkpoint." };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("train", "Train VDM or D-VDM (image-to-video from a first frame and a label or caption).")
            { model, data, frames, size, steps, batch, lr, warmup, width, mults, condition, checkpointEvery, previewEvery, timeLimit, bf16, outDir, resume, seed, json };
        command.SetGuarded(async (parse, token) =>
        {
            var modelType = parse.GetValue(model)!.ToLowerInvariant();
            if (modelType is not ("vdm" or "d-vdm"))
                throw new UserInputException($"--model must be vdm or d-vdm (ed-vdm, videofusion and moso arrive with their issues), got '{modelType}'");
            int k = parse.GetValue(frames), s = parse.GetValue(size);
            long seedValue = parse.GetValue(seed);
            var source = OpenSource(parse.GetValue(data)!, k, s, seedValue);
            var multipliers = ParseInts(parse.GetValue(mults)!, "--mults");
            var conditionKind = parse.GetValue(condition);
            var config = VideoDiffusionConfigs.Create(modelType, k, s, parse.GetValue(width), multipliers, conditionKind, source.ClassNames, source.Name);
            if (config.UNet.InputSizeProblem(k, s, s) is { } problem) throw new UserInputException(problem);
            var options = new TrainingOptions
            {
                Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                WarmupSteps = parse.GetValue(warmup), Seed = seedValue, CheckpointEvery = parse.GetValue(checkpointEvery),
                PreviewEvery = parse.GetValue(previewEvery), Bf16 = parse.GetValue(bf16),
                MaxSeconds = parse.GetValue(timeLimit) * 60,
            };
            torch.manual_seed(seedValue);
            var pipeline = new VideoDiffusionModel(config);
            var run = parse.GetValue(outDir)!.FullName;
            var trainer = new Trainer<VideoBatch>(pipeline, options, run);
            AnsiConsole.MarkupLine($"training [bold]{modelType}[/] ({pipeline.Network.UNet.ParameterCount:N0} U-Net parameters) on {Markup.Escape(source.Name)}: {k}x{s}x{s}, batch {options.BatchSize}, {options.Steps} steps -> {Markup.Escape(run)}");
            TrainingResult result = null!;
            await TrainingProgressBar.RunAsync(trainer, options.Steps, () =>
                result = trainer.Run(step => VideoBatch.Draw(source, step, options.BatchSize), parse.GetValue(resume), token));
            AnsiConsole.MarkupLine($"{Markup.Escape(result.Message)}");
            if (trainer.RuntimeCheck is { } check) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(check.ToString())}[/]");
            CommonOptions.WriteJsonIfAsked(parse, json, new { model = modelType, run, parameters = pipeline.Network.UNet.ParameterCount, result, one_dnn = trainer.RuntimeCheck });
            return result.Status is TrainingStatus.Completed or TrainingStatus.TimeLimit ? ExitCodes.Ok
                : result.Status == TrainingStatus.Cancelled ? ExitCodes.Cancelled : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>The training clips: the built-in shapes (train subjects) or a folder dataset (train split).</summary>
    internal static IClipSource OpenSource(string data, int frames, int size, long seed) =>
        data == "shapes"
            ? new ShapesClipSource(frames, size, size, seed)
            : Directory.Exists(data)
                ? new FolderClipSource(data, frames, size, size, seed, DatasetSplit.Train)
                : throw new UserInputException($"--data: '{data}' is neither 'shapes' nor a folder");

    private static List<int> ParseInts(string text, string option)
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
            if (values.Count == 0 || values.Any(v => v <= 0)) throw new FormatException();
            return values;
        }
        catch (FormatException)
        {
            throw new UserInputException($"{option}: expected positive integers separated by commas, got '{text}'");
        }
    }
}
