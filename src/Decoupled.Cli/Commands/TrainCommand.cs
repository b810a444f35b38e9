using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Pipelines.Moso;
using Decoupled.Pipelines.Reference;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoFusion;
using Decoupled.Video.Datasets;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled train</c>: train a model on shapes or a folder dataset, with checkpoints, logs, previews and resume.</summary>
public static class TrainCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var o = new TrainOptions();
        var command = new Command("train", "Train VDM, D-VDM, ED-VDM (image-to-video from a first frame and a label or caption), ED-VDM's residual autoencoder, VideoFusion (and its base generator), MOSO (its VQ-VAE, then its transformers), or the reference shapes classifier behind fd_shapes.");
        foreach (var option in o.All) command.Options.Add(option);
        command.SetGuarded(async (parse, token) =>
        {
            var modelType = parse.GetValue(o.Model)!.ToLowerInvariant();
            if (parse.GetValue(o.NoFirstFrame) && modelType != "vdm")
                throw new UserInputException($"--no-first-frame applies to --model vdm only (got {modelType})");
            if (parse.GetValue(o.Patch) is not null && modelType is not ("vdm" or "d-vdm" or "ed-vdm"))
                throw new UserInputException($"--patch applies to --model vdm, d-vdm and ed-vdm only (got {modelType})");
            if (parse.GetValue(o.Init) is not null && modelType != MosoTransformerConfig.Type)
                throw new UserInputException($"--init applies to --model moso-transformer only (got {modelType})");
            if (parse.GetValue(o.FinetuneDecoder) is not null && modelType != MosoVqVaeTrainingConfig.Type)
                throw new UserInputException($"--finetune-decoder applies to --model moso-vqvae only (got {modelType})");
            var setup = modelType switch
            {
                "vdm" or "d-vdm" or "ed-vdm" => VideoDiffusionTraining.Prepare(parse, o, modelType),
                ResidualVaeTrainingConfig.Type => ResidualVaeTraining.Prepare(parse, o),
                ShapesClassifierTrainingConfig.Type => ShapesClassifierTraining.Prepare(parse, o),
                VideoFusionConfig.FullType or VideoFusionConfig.BaseType => VideoFusionTraining.Prepare(parse, o, modelType),
                MosoVqVaeTrainingConfig.Type => MosoTraining.PrepareVqVae(parse, o),
                MosoTransformerConfig.Type => MosoTraining.PrepareTransformer(parse, o),
                _ => throw new UserInputException($"--model must be vdm, d-vdm, ed-vdm, ed-vdm-vae, videofusion, videofusion-base, moso-vqvae, moso-transformer or shapes-classifier, got '{modelType}'"),
            };
            AnsiConsole.MarkupLine(Markup.Escape(setup.Description));
            var result = await setup.Run(parse.GetValue(o.Resume), token);
            AnsiConsole.MarkupLine(Markup.Escape(result.Result.Message));
            if (result.OneDnn is { } check) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(check.ToString())}[/]");
            CommonOptions.WriteJsonIfAsked(parse, o.Json, new { model = modelType, run = setup.RunFolder, parameters = setup.Parameters, result = result.Result, one_dnn = result.OneDnn });
            return result.Result.Status is TrainingStatus.Completed or TrainingStatus.TimeLimit ? ExitCodes.Ok
                : result.Result.Status == TrainingStatus.Cancelled ? ExitCodes.Cancelled : ExitCodes.Failure;
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

    /// <summary>Positive integers from a comma-separated option value.</summary>
    internal static List<int> ParseInts(string text, string option)
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

    /// <summary>The trainer options every model shares.</summary>
    internal static TrainingOptions TrainingOptionsFrom(ParseResult parse, TrainOptions o) => new()
    {
        Steps = parse.GetValue(o.Steps), BatchSize = parse.GetValue(o.Batch), LearningRate = parse.GetValue(o.LearningRate),
        WarmupSteps = parse.GetValue(o.Warmup), Decay = parse.GetValue(o.LearningRateDecay), MinLearningRate = parse.GetValue(o.MinLearningRate), Seed = parse.GetValue(o.Seed), CheckpointEvery = parse.GetValue(o.CheckpointEvery),
        PreviewEvery = parse.GetValue(o.PreviewEvery), Bf16 = parse.GetValue(o.Bf16),
        MaxSeconds = parse.GetValue(o.TimeLimit) * 60,
    };
}

/// <summary>A prepared training run: what it trains, and how to start it.</summary>
/// <param name="Description">One line for the console.</param>
/// <param name="RunFolder">The run folder.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Run">Starts (or resumes) training.</param>
internal sealed record TrainingSetup(string Description, string RunFolder, long Parameters, Func<bool, CancellationToken, Task<TrainingOutcome>> Run)
{
    /// <summary>A setup that trains <paramref name="trainer"/> on <paramref name="batches"/> with the progress bar.</summary>
    public static TrainingSetup For<TBatch>(string description, long parameters, Trainer<TBatch> trainer, long steps, Func<long, TBatch> batches) =>
        new(description, trainer.Folder.Path, parameters, async (resume, token) =>
        {
            TrainingResult result = null!;
            await TrainingProgressBar.RunAsync(trainer, steps, () => result = trainer.Run(batches, resume, token));
            return new TrainingOutcome(result, trainer.RuntimeCheck);
        });
}

/// <summary>How a run ended and what the oneDNN self-check found.</summary>
internal sealed record TrainingOutcome(TrainingResult Result, Decoupled.Runtime.OneDnnCheck? OneDnn);
