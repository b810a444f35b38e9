using Decoupled.Metrics.Frame;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.Data;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>
/// Trains ED-VDM's residual autoencoder: L1 (the paper) or L2 reconstruction of codec residuals
/// from a sampled latent plus a slight KL pull towards N(0, I) (weight 1e-6 in the paper). Both
/// terms are summed over an item's elements as in latent diffusion and then divided by the
/// residual's element count, which keeps their ratio and gives the loss the scale of a mean error.
/// </summary>
public sealed class ResidualVaeModel : ITrainableModel<ResidualBatch>
{
    /// <summary>A model of <paramref name="config"/> with fresh weights.</summary>
    public ResidualVaeModel(ResidualVaeTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Vae = new ResidualVae(config.Vae);
        StartFromDct(Vae);
    }

    /// <summary>
    /// A fresh autoencoder with a linear shortcut starts as the paper's DCT baseline (Table 5) with
    /// as many coefficients per block as latent channels, so its reconstructions begin at that
    /// baseline's quality. (Trained from random weights, L1 on residuals that are zero almost
    /// everywhere first learns to decode nothing: measured on shapes, 8 minutes of training left
    /// it no better than zero residuals.)
    /// </summary>
    private static void StartFromDct(ResidualVae vae)
    {
        var config = vae.Config;
        int f = config.DownsamplingFactor;
        if (!config.LinearShortcut || config.LatentChannels > config.ImageChannels * f * f) return;
        var projection = new BlockDct(f).Projection(config.LatentChannels, config.ImageChannels);
        using var weight = torch.tensor(projection, dtype: ScalarType.Float64);
        vae.StartFromLinearCode(weight);
    }

    /// <inheritdoc />
    IModelConfig ITrainableModel<ResidualBatch>.Config => Config;

    /// <summary>The configuration.</summary>
    public ResidualVaeTrainingConfig Config { get; }

    /// <summary>The autoencoder being trained.</summary>
    public ResidualVae Vae { get; }

    /// <inheritdoc />
    public nn.Module Network => Vae;

    /// <inheritdoc />
    public nn.Module CreateNetwork()
    {
        var vae = new ResidualVae(Config.Vae);
        StartFromDct(vae);
        return vae;
    }

    /// <summary>A model with the weights of a checkpoint folder (its EMA weights when it has them).</summary>
    public static ResidualVaeModel Load(string checkpoint, bool preferEma = true)
    {
        var config = CheckpointFolder.LoadConfig<ResidualVaeTrainingConfig>(checkpoint, ResidualVaeTrainingConfig.Type);
        var model = new ResidualVaeModel(config);
        CheckpointFolder.LoadWeights(checkpoint, model.Vae, useEma: preferEma && CheckpointFolder.HasEma(checkpoint));
        model.Vae.eval();
        return model;
    }

    /// <inheritdoc />
    public Tensor Loss(ResidualBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var x = batch.Residuals;
        using var posterior = Vae.Encode(x);
        var reconstruction = Vae.Decode(posterior.Sample(generator));
        long elements = x.shape[1] * x.shape[2] * x.shape[3];
        var error = reconstruction - x;
        var reconstructionLoss = Config.Loss == ReconstructionLoss.L2 ? error.square().mean() : error.abs().mean();
        var kl = posterior.KlDivergence().mean() / elements;
        return (reconstructionLoss + kl * Config.Vae.KlWeight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rebuilds four held-out clips from their first frame, exact motion vectors and the residuals
    /// passed through <paramref name="weights"/>; writes the real/rebuilt contact sheet and their PSNR.
    /// </summary>
    public void Preview(string folder, long step, nn.Module weights)
    {
        var vae = (ResidualVae)weights;
        var source = PreviewSource ?? new ShapesClipSource(Config.Frames, Config.Height, Config.Width, seed: 12345, ShapesSplit.Test);
        var clips = Enumerable.Range(0, 4).Select(i => source.Draw(0, i).Clip).ToList();
        var rows = new List<VideoClip>();
        var psnr = new List<double>();
        foreach (var clip in clips)
        {
            var rebuilt = ResidualReconstruction.WithAutoencoder(clip, vae, Config.Codec());
            rows.Add(clip);
            rows.Add(rebuilt);
            psnr.Add(Psnr.Clip(clip, rebuilt));
        }
        ContactSheet.Write(Path.Combine(folder, "reconstructions.png"), rows,
            new ContactSheetOptions { Labels = psnr.SelectMany(p => new[] { "real", $"rebuilt ({p:0.0} dB)" }).ToList() });
        IO.JsonFile.Write(Path.Combine(folder, "preview.json"), new { step, psnr = psnr.Average() });
    }

    /// <summary>Clips the previews rebuild (default: held-out shapes subjects).</summary>
    public IClipSource? PreviewSource { get; set; }
}
