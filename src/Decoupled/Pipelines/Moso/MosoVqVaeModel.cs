using System.Globalization;
using Decoupled.Metrics.Frame;
using Decoupled.Metrics.Perceptual;
using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Tensors;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Trains MOSO-VQVAE (section 3.1.4): L2 reconstruction of every frame (plus optional L1 and
/// LPIPS terms), the commitment loss of equation 9 (the codebook itself follows an EMA of the
/// encoder outputs), and, from <see cref="MosoVqVaeTrainingConfig.DiscriminatorStart"/>, the hinge
/// loss of a video discriminator trained in the same backward pass. With
/// <see cref="MosoVqVaeTrainingConfig.DecoderOnly"/> only the decoder side (and the discriminator)
/// trains and the tokens stay those of the source run.
/// </summary>
public sealed class MosoVqVaeModel : ITrainableModel<MosoVqVaeBatch>
{
    private readonly MosoVqVaeTrainingNetwork network;

    /// <summary>A model of <paramref name="config"/> with fresh weights; <paramref name="perceptual"/> enables the LPIPS term.</summary>
    public MosoVqVaeModel(MosoVqVaeTrainingConfig config, LpipsNetwork? perceptual = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Net.Validate();
        Config = config;
        network = new MosoVqVaeTrainingNetwork(config);
        Perceptual = perceptual;
        if (perceptual is not null)
        {
            foreach (var p in perceptual.parameters()) p.requires_grad = false;
            perceptual.eval();
        }
    }

    /// <inheritdoc />
    IModelConfig ITrainableModel<MosoVqVaeBatch>.Config => Config;

    /// <summary>The configuration.</summary>
    public MosoVqVaeTrainingConfig Config { get; }

    /// <summary>The autoencoder being trained.</summary>
    public MosoVqVae VqVae => network.VqVae;

    /// <summary>The frozen LPIPS network of the perceptual term, if any.</summary>
    public LpipsNetwork? Perceptual { get; }

    /// <inheritdoc />
    public nn.Module Network => network;

    /// <inheritdoc />
    public nn.Module CreateNetwork() => new MosoVqVaeTrainingNetwork(Config);

    /// <summary>Where each step's codebook usage and loss terms are appended as CSV (none when null).</summary>
    public string? UsageLogPath { get; set; }

    /// <summary>The loss terms and codebook usage of the last <see cref="Loss"/> call.</summary>
    public MosoVqVaeStepReport? LastReport { get; private set; }

    /// <summary>The autoencoder of a checkpoint folder (its EMA weights when it has them), in eval mode.</summary>
    public static (MosoVqVaeTrainingConfig Config, MosoVqVae VqVae) Load(string checkpoint, bool preferEma = true)
    {
        var config = CheckpointFolder.LoadConfig<MosoVqVaeTrainingConfig>(checkpoint, MosoVqVaeTrainingConfig.Type);
        var network = new MosoVqVaeTrainingNetwork(config);
        CheckpointFolder.LoadWeights(checkpoint, network, useEma: preferEma && CheckpointFolder.HasEma(checkpoint));
        network.eval();
        return (config, network.VqVae);
    }

    /// <inheritdoc />
    public Tensor Loss(MosoVqVaeBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var videos = batch.Videos;
        var vqvae = network.VqVae;
        var encoding = Config.DecoderOnly ? FrozenEncode(vqvae, videos) : Encode(vqvae, videos);
        var reconstruction = vqvae.Decode(encoding.SceneQuantized, encoding.ObjectQuantized, encoding.MotionQuantized);
        var error = reconstruction - videos.Video;
        var mse = error.square().mean();
        var loss = mse + encoding.CommitmentLoss;
        if (Config.L1Weight > 0) loss = loss + error.abs().mean() * Config.L1Weight;
        Tensor? perceptualTerm = null;
        if (Perceptual is not null && Config.PerceptualWeight > 0)
        {
            perceptualTerm = Perceptual.forward(VideoFrames.Fold(reconstruction), VideoFrames.Fold(videos.Video)).mean();
            loss = loss + perceptualTerm * Config.PerceptualWeight;
        }
        double? generatorTerm = null;
        if (network.Discriminator is { } discriminator && batch.Step >= Config.DiscriminatorStart)
        {
            // One backward pass trains both players: the generator's term is built with the
            // discriminator's parameters frozen, the discriminator's on a detached reconstruction.
            SetTrainable(discriminator, false);
            var fakeForGenerator = discriminator.call(reconstruction);
            SetTrainable(discriminator, true);
            var adversarial = HingeLoss.Generator(fakeForGenerator);
            var critic = HingeLoss.Discriminator(discriminator.call(videos.Video), discriminator.call(reconstruction.detach()));
            loss = loss + adversarial * Config.DiscriminatorWeight + critic;
            generatorTerm = adversarial.item<float>();
        }
        var usage = vqvae.Codebook.LastUsage;
        LastReport = new MosoVqVaeStepReport(batch.Step, mse.item<float>(), encoding.CommitmentLoss.item<float>(),
            perceptualTerm?.item<float>(), generatorTerm, usage.Perplexity, usage.UsedCodes, usage.DeadCodes);
        AppendUsage(LastReport);
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<ParameterGroup> ParameterGroups()
    {
        if (!Config.DecoderOnly) return [new ParameterGroup(network.parameters().ToList())];
        var trained = network.VqVae.DecoderParameters().ToList();
        if (network.Discriminator is { } discriminator) trained.AddRange(discriminator.parameters());
        return [new ParameterGroup(trained)];
    }

    /// <summary>
    /// Starts the autoencoder from another MOSO-VQVAE checkpoint (its EMA weights when it has
    /// them); the networks must have the same config.
    /// </summary>
    public void InitialiseFrom(string checkpoint)
    {
        var (other, source) = Load(checkpoint);
        if (other.Net != Config.Net)
            throw new UserInputException($"{checkpoint}: its VQ-VAE config differs from this one's");
        network.VqVae.load_state_dict(source.state_dict());
        source.Dispose();
    }

    private static MosoEncoding Encode(MosoVqVae vqvae, MosoVideos videos) => vqvae.Config.Decomposed
        ? vqvae.Encode(videos.Scene, videos.Object, videos.Motion)
        : vqvae.Encode(null, null, videos.Video);

    // Decoder-only training: the encoders run without gradients and the codebook takes no EMA
    // step and restarts no code, so the tokens stay those of the source run.
    private static MosoEncoding FrozenEncode(MosoVqVae vqvae, MosoVideos videos)
    {
        bool wasTraining = vqvae.training;
        vqvae.Codebook.eval();
        try
        {
            using var noGrad = torch.no_grad();
            return Encode(vqvae, videos);
        }
        finally
        {
            if (wasTraining) vqvae.Codebook.train();
        }
    }

    private static void SetTrainable(nn.Module module, bool trainable)
    {
        foreach (var p in module.parameters()) p.requires_grad = trainable;
    }

    private void AppendUsage(MosoVqVaeStepReport report)
    {
        if (UsageLogPath is null) return;
        if (!File.Exists(UsageLogPath)) File.WriteAllText(UsageLogPath, MosoVqVaeStepReport.CsvHeader + "\n");
        File.AppendAllText(UsageLogPath, report.ToCsv() + "\n");
    }

    /// <summary>
    /// Reconstructs four held-out clips and writes, per clip, the real clip, its reconstruction,
    /// the scene-only and object-only decodings (appendix C.3) and the reconstruction PSNR.
    /// </summary>
    public void Preview(string folder, long step, nn.Module weights)
    {
        var vqvae = ((MosoVqVaeTrainingNetwork)weights).VqVae;
        var source = PreviewSource ?? new ShapesClipSource(Config.Frames, Config.Height, Config.Width, seed: 12345, ShapesSplit.Test);
        var clips = Enumerable.Range(0, 4).Select(i => source.Draw(0, i).Clip).ToList();
        var views = MosoReconstruction.Views(vqvae, clips);
        var rows = new List<VideoClip>();
        var labels = new List<string>();
        for (int i = 0; i < clips.Count; i++)
        {
            double psnr = Psnr.Clip(clips[i], views.Reconstructions[i]);
            rows.Add(clips[i]);
            labels.Add("real");
            rows.Add(views.Reconstructions[i]);
            labels.Add(string.Create(CultureInfo.InvariantCulture, $"rebuilt ({psnr:0.0} dB)"));
            if (views.SceneOnly is not null)
            {
                rows.Add(views.SceneOnly[i]);
                labels.Add("scene only");
                rows.Add(views.ObjectOnly![i]);
                labels.Add("object + motion");
            }
        }
        ContactSheet.Write(Path.Combine(folder, "reconstructions.png"), rows, new ContactSheetOptions { Labels = labels });
        IO.JsonFile.Write(Path.Combine(folder, "preview.json"), new
        {
            step,
            psnr = clips.Select((c, i) => Psnr.Clip(c, views.Reconstructions[i])).Average(),
            codebook = vqvae.Codebook.LastUsage,
        });
    }

    /// <summary>Clips the previews rebuild (default: held-out shapes subjects).</summary>
    public IClipSource? PreviewSource { get; set; }
}
