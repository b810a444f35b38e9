using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary>Builds a VideoFusion training run, or the pre-training of its base generator, from the <c>train</c> options.</summary>
internal static class VideoFusionTraining
{
    /// <summary>The run <paramref name="modelType"/> ("videofusion" or "videofusion-base") and the options describe.</summary>
    public static TrainingSetup Prepare(ParseResult parse, TrainOptions o, string modelType)
    {
        bool pretraining = modelType == VideoFusionConfig.BaseType;
        int k = parse.GetValue(o.Frames), s = parse.GetValue(o.Size), width = parse.GetValue(o.Width);
        long seed = parse.GetValue(o.Seed);
        var options = TrainCommand.TrainingOptionsFrom(parse, o);
        bool share = parse.GetValue(o.ShareNoiseByLabel);
        var data = parse.GetValue(o.Data)!;
        IClipSource source = !share ? TrainCommand.OpenSource(data, k, s, seed)
            : data == "shapes" ? new ShapesClipSource(k, s, s, seed, gridBatchSize: options.BatchSize)
            : throw new UserInputException("--share-noise-by-label needs --data shapes (it shares noise by the subject and action labels)");
        int residualWidth = parse.GetValue(o.ResidualWidth) ?? Math.Max(2, width / 4 * 2);
        var pretrainRun = parse.GetValue(o.PretrainBase);
        if (pretraining && pretrainRun is not null) throw new UserInputException("--pretrain-base belongs to --model videofusion, not to the base pre-training itself");
        double baseScale = parse.GetValue(o.BaseLearningRateScale) ?? (pretrainRun is null ? 1.0 : 0.1);

        string? pretrainFolder = pretrainRun is null ? null : CommonOptions.ResolveCheckpoint(pretrainRun, "--pretrain-base");
        var prediction = DiffusionObjectiveOptions.Prediction(parse, o);
        var config = pretrainFolder is null
            ? VideoFusionConfigs.Create(k, s, width, residualWidth, TrainCommand.ParseInts(parse.GetValue(o.Multipliers)!, "--mults"),
                parse.GetValue(o.Condition), source.ClassNames, parse.GetValue(o.Lambda), source.Name)
            : FromPretrainedBase(pretrainFolder, k, s, residualWidth, parse.GetValue(o.Lambda), source.Name);
        config = config with
        {
            Prediction = prediction, Weighting = DiffusionObjectiveOptions.Weighting(parse, o),
            FreezeBase = parse.GetValue(o.FreezeBase), StopGradient = !parse.GetValue(o.NoStopGradient),
            BaseLearningRateScale = baseScale, ShareNoiseByLabel = share,
        };
        if (parse.GetValue(o.ResidualSeesBase))
        {
            if (pretraining) throw new UserInputException("--residual-sees-base belongs to --model videofusion (the base pre-training has no residual generator)");
            config = VideoFusionConfigs.WithResidualSeeingBase(config);
        }
        if (pretraining) config = VideoFusionConfigs.BaseOnly(config);
        config.Validate();

        torch.manual_seed(seed);
        var runFolder = parse.GetValue(o.Out)!.FullName;
        Func<long, VideoBatch> batches = step => VideoBatch.Draw(source, step, options.BatchSize);
        if (pretraining)
        {
            var baseModel = new VideoFusionBaseModel(config);
            long baseParameters = baseModel.Network.BaseGenerator.ParameterCount;
            var baseTrainer = new Trainer<VideoBatch>(baseModel, options, runFolder);
            return TrainingSetup.For(
                $"pre-training the VideoFusion base generator ({baseParameters:N0} parameters) on single {s}x{s} frames of {source.Name}, batch {options.BatchSize}, {options.Steps} steps -> {baseTrainer.Folder.Path}",
                baseParameters, baseTrainer, options.Steps, batches);
        }
        var model = new VideoFusionModel(config);
        if (pretrainFolder is not null) model.LoadPretrainedBase(pretrainFolder);
        long baseCount = model.Network.BaseGenerator.ParameterCount, residualCount = model.Network.ResidualGenerator!.ParameterCount;
        var trainer = new Trainer<VideoBatch>(model, options, runFolder);
        string start = pretrainFolder is null ? "from scratch" : $"base from {pretrainFolder} at {baseScale:G3}x the learning rate";
        return TrainingSetup.For(
            $"training videofusion ({baseCount:N0} base + {residualCount:N0} residual parameters, lambda {parse.GetValue(o.Lambda):G3}, {start}"
            + $"{(config.FreezeBase ? ", base frozen" : "")}{(config.StopGradient ? "" : ", no stop-gradient")}{(share ? ", noise shared by subject and action" : "")}) on {source.Name}: "
            + $"{k}x{s}x{s}, batch {options.BatchSize}, {options.Steps} steps -> {trainer.Folder.Path}",
            baseCount + residualCount, trainer, options.Steps, batches);
    }

    // The pre-trained base decides the base U-Net, the condition, the classes, the text encoder and the schedule.
    private static VideoFusionConfig FromPretrainedBase(string folder, int frames, int size, int residualWidth, double lambda, string dataset)
    {
        var pretrained = CheckpointFolder.LoadConfig<VideoFusionConfig>(folder, VideoFusionConfig.BaseType);
        if (pretrained.Height != size || pretrained.Width != size)
            throw new UserInputException($"--pretrain-base {folder}: its base generator was trained on {pretrained.Width}x{pretrained.Height} frames, not {size}x{size}");
        var fresh = VideoFusionConfigs.Create(frames, size, pretrained.Base.BaseChannels, residualWidth, pretrained.Base.ChannelMultipliers,
            pretrained.Condition, pretrained.ClassNames, lambda, dataset);
        return fresh with { Base = pretrained.Base, Text = pretrained.Text, Schedule = pretrained.Schedule, ConditionDropProbability = pretrained.ConditionDropProbability };
    }
}
