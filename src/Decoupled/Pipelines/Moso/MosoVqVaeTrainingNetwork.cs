using Decoupled.Nn.Moso;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// What MOSO-VQVAE training optimises and checkpoints: the autoencoder and, when the config asks
/// for adversarial training, the video discriminator beside it (appendix C.4, Table 10).
/// </summary>
public sealed class MosoVqVaeTrainingNetwork : nn.Module
{
    private readonly MosoVqVae vqvae;
    private readonly VideoDiscriminator? discriminator;

    /// <summary>Builds the networks of <paramref name="config"/>.</summary>
    public MosoVqVaeTrainingNetwork(MosoVqVaeTrainingConfig config) : base(nameof(MosoVqVaeTrainingNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        vqvae = new MosoVqVae(config.Net);
        if (config.DiscriminatorWeight > 0) discriminator = new VideoDiscriminator(config.DiscriminatorWidth);
        RegisterComponents();
    }

    /// <summary>The autoencoder.</summary>
    public MosoVqVae VqVae => vqvae;

    /// <summary>The video discriminator, when training is adversarial.</summary>
    public VideoDiscriminator? Discriminator => discriminator;
}
