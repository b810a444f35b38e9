using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Metrics.Perceptual;
using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Moso;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary>Builds the training runs of MOSO-VQVAE and MOSO-Transformer from the <c>train</c> options.</summary>
internal static class MosoTraining
{
    /// <summary>MOSO-VQVAE (stage I).</summary>
    public static TrainingSetup PrepareVqVae(ParseResult parse, TrainOptions o)
    {
        long seed = parse.GetValue(o.Seed);
        var decoderSource = parse.GetValue(o.FinetuneDecoder) is { } sourceRun ? Path.GetFullPath(CommonOptions.ResolveCheckpoint(sourceRun, "--finetune-decoder")) : null;
        var net = decoderSource is not null ? CheckpointFolder.LoadConfig<MosoVqVaeTrainingConfig>(decoderSource, MosoVqVaeTrainingConfig.Type).Net : new MosoVqVaeNetConfig
        {
            Frames = parse.GetValue(o.Frames), Height = parse.GetValue(o.Size), Width = parse.GetValue(o.Size), ContentDownsample = parse.GetValue(o.ContentDownsample), MotionDownsample = parse.GetValue(o.MotionDownsample),
            Hidden = parse.GetValue(o.Width), CodebookSize = parse.GetValue(o.CodebookSize), CodeDim = parse.GetValue(o.CodeDim),
            MotionPool = parse.GetValue(o.Pool), Decomposed = !parse.GetValue(o.NoDecompose), MotionEncoderHidden = parse.GetValue(o.EncoderWidth),
        };
        try { net.Validate(); }
        catch (ArgumentException e) { throw new UserInputException(e.Message); }
        int k = net.Frames, s = net.Height;
        var source = TrainCommand.OpenSource(parse.GetValue(o.Data)!, k, s, seed);
        var lpipsPath = parse.GetValue(o.Lpips);
        var config = new MosoVqVaeTrainingConfig
        {
            // The frozen encoders were trained to read raw frames at the end; the preprocessed inputs would change their tokens.
            Net = net, DecoderFinetunedFrom = decoderSource, PreprocessSteps = decoderSource is null ? parse.GetValue(o.PreprocessSteps) : 0, DiscriminatorWeight = parse.GetValue(o.DiscriminatorWeight),
            DiscriminatorStart = parse.GetValue(o.DiscriminatorStart), StillFraction = parse.GetValue(o.StillFraction), PerceptualWeight = lpipsPath is null ? 0 : 1, Dataset = source.Name,
        };
        if (config.DiscriminatorWeight < 0) throw new UserInputException($"--disc-weight must be >= 0, got {config.DiscriminatorWeight}");
        if (config.StillFraction is < 0 or > 1) throw new UserInputException($"--still-fraction must be in [0, 1], got {config.StillFraction}");
        var perceptual = lpipsPath is null ? null : LpipsWeights.Load(lpipsPath);
        var options = TrainCommand.TrainingOptionsFrom(parse, o);
        torch.manual_seed(seed);
        var model = new MosoVqVaeModel(config, perceptual);
        if (decoderSource is not null) model.InitialiseFrom(decoderSource);
        var trainer = new Trainer<MosoVqVaeBatch>(model, options, parse.GetValue(o.Out)!.FullName);
        model.UsageLogPath = Path.Combine(trainer.Folder.Path, "codebook.csv");
        if (source.Name != "shapes") model.PreviewSource = source;
        long parameters = model.Network.parameters().Sum(p => p.numel());
        var (sceneTokens, motionTokens) = MosoTokens.GridSizes(net);
        string still = config.StillFraction > 0 ? $"; {config.StillFraction:P0} of the clips with a still tail" : "";
        string tokens = net.Decomposed ? $"{sceneTokens} scene + {sceneTokens} object + {k}x{motionTokens} motion tokens" : $"{k}x{motionTokens} frame tokens (non-decomposed)";
        string what = decoderSource is null
            ? $"training MOSO-VQVAE ({parameters:N0} parameters"
            : $"training the decoder of {decoderSource} ({model.VqVae.DecoderParameters().Sum(p => p.numel()):N0} of {parameters:N0} parameters, encoders and codebook frozen";
        return TrainingSetup.For(
            $"{what}; {tokens} per clip; codebook {net.CodebookSize}{still}) on {source.Name}: {k}x{s}x{s}, {options.BatchSize} clips a step, {options.Steps} steps -> {trainer.Folder.Path}",
            parameters, trainer, options.Steps, step => MosoVqVaeBatch.Draw(source, step, options.BatchSize, config, seed));
    }

    /// <summary>MOSO-Transformer (stage II) over a trained MOSO-VQVAE.</summary>
    public static TrainingSetup PrepareTransformer(ParseResult parse, TrainOptions o)
    {
        var vqvaeRun = parse.GetValue(o.VqVae) ?? throw new UserInputException("--vqvae is required for moso-transformer: the run folder of train --model moso-vqvae");
        var folder = CommonOptions.ResolveCheckpoint(vqvaeRun, "--vqvae");
        var (vqvaeConfig, vqvae) = MosoVqVaeModel.Load(folder);
        long seed = parse.GetValue(o.Seed);
        int k = vqvaeConfig.Frames, s = vqvaeConfig.Height;
        var (sceneTokens, motionTokens) = MosoTokens.GridSizes(vqvaeConfig.Net);
        int width = parse.GetValue(o.Width);
        var net = new MosoTransformerNetConfig
        {
            CodebookSize = vqvaeConfig.Net.CodebookSize, SceneTokens = sceneTokens, MotionFrames = k, MotionTokensPerFrame = motionTokens,
            Width = width, Heads = parse.GetValue(o.Heads), SceneObjectLayers = parse.GetValue(o.Layers), MotionLayers = parse.GetValue(o.MotionLayers),
            MlpWidth = 4 * width, Decomposed = vqvaeConfig.Net.Decomposed,
        };
        try { net.Validate(); }
        catch (ArgumentException e) { throw new UserInputException(e.Message); }
        var shares = ParseShares(parse.GetValue(o.TaskShares)!);
        var source = TrainCommand.OpenSource(parse.GetValue(o.Data)!, k, s, seed);
        var init = parse.GetValue(o.Init) is { } initRun ? Path.GetFullPath(CommonOptions.ResolveCheckpoint(initRun, "--init")) : null;
        var config = new MosoTransformerConfig
        {
            InitialisedFrom = init,
            Net = net, VqVae = vqvaeConfig, ContextFrames = parse.GetValue(o.Context), EndFrames = parse.GetValue(o.EndFrames),
            PredictionShare = shares[0], InterpolationShare = shares[1], UnconditionalShare = shares[2], Dataset = source.Name,
        };
        var options = TrainCommand.TrainingOptionsFrom(parse, o);
        torch.manual_seed(seed);
        var model = new MosoTransformerModel(config, vqvae);
        if (init is not null) model.InitialiseTransformerFrom(init);
        if (source.Name != "shapes") model.PreviewSource = source;
        var trainer = new Trainer<VideoBatch>(model, options, parse.GetValue(o.Out)!.FullName);
        long parameters = model.TrainingNetwork.Transformer.parameters().Sum(p => p.numel());
        return TrainingSetup.For(
            $"training MOSO-Transformer ({parameters:N0} parameters{(init is null ? "" : $", starting from {init}")}) over {folder}: {k}x{s}x{s} clips, predict from {config.ContextFrames}, {options.BatchSize} clips a step, {options.Steps} steps -> {trainer.Folder.Path}",
            parameters, trainer, options.Steps, step => VideoBatch.Draw(source, step, options.BatchSize));
    }

    private static double[] ParseShares(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
            throw new UserInputException($"--tasks: expected three numbers (prediction, interpolation, unconditional), got '{text}'");
        return parts.Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
