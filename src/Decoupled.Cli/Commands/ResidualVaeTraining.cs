using System.CommandLine;
using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Pipelines.Training;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary>Builds the training run of ED-VDM's residual autoencoder from the <c>train</c> options.</summary>
internal static class ResidualVaeTraining
{
    /// <summary>The run the options describe; <c>--batch</c> counts clips, each giving its selected P-frame residuals.</summary>
    public static TrainingSetup Prepare(ParseResult parse, TrainOptions o)
    {
        int k = parse.GetValue(o.Frames), s = parse.GetValue(o.Size), block = parse.GetValue(o.Block);
        if (block is not (4 or 8 or 16)) throw new UserInputException($"--block must be 4, 8 or 16, got {block}");
        if (s % block != 0) throw new UserInputException($"--size {s} must be a multiple of --block {block}");
        int searchRange = parse.GetValue(o.SearchRange);
        int vectorCost = parse.GetValue(o.VectorCost);
        var codecCheck = new BlockMotionOptions { BlockSize = block, SearchRange = searchRange, VectorCost = vectorCost };
        codecCheck.Validate();
        long seed = parse.GetValue(o.Seed);
        var source = TrainCommand.OpenSource(parse.GetValue(o.Data)!, k, s, seed);
        var config = new ResidualVaeTrainingConfig
        {
            Vae = ResidualVaeConfig.ForBlockSize(block, parse.GetValue(o.LatentChannels), parse.GetValue(o.Width)),
            Frames = k, Height = s, Width = s, SearchRange = searchRange, VectorCost = vectorCost, Selection = parse.GetValue(o.Residuals), Loss = parse.GetValue(o.VaeLoss), Dataset = source.Name,
        };
        var options = TrainCommand.TrainingOptionsFrom(parse, o);
        torch.manual_seed(seed);
        var model = new ResidualVaeModel(config);
        var trainer = new Trainer<ResidualBatch>(model, options, parse.GetValue(o.Out)!.FullName);
        long parameters = model.Vae.parameters().Sum(p => p.numel());
        var codec = config.Codec();
        return TrainingSetup.For(
            $"training the ED-VDM residual autoencoder ({parameters:N0} parameters, latent {config.Vae.LatentChannels}x{s / block}x{s / block}) on {source.Name} residuals: {k}x{s}x{s}, {options.BatchSize} clips a step, {options.Steps} steps -> {trainer.Folder.Path}",
            parameters, trainer, options.Steps, step => ResidualBatch.Draw(source, step, options.BatchSize, codec, config.Selection));
    }
}
