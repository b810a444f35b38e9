using Decoupled.Nn.Moso;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// MOSO-Transformer with its frozen MOSO-VQVAE riding along, so one checkpoint holds everything
/// prediction needs. Only the transformers' parameters train.
/// </summary>
public sealed class MosoTransformerTrainingNetwork : nn.Module
{
    private readonly MosoTransformerNetwork transformer;
    private readonly MosoVqVae vqvae;

    /// <summary>Builds the networks of <paramref name="config"/> (the VQ-VAE's weights are loaded separately).</summary>
    public MosoTransformerTrainingNetwork(MosoTransformerConfig config) : base(nameof(MosoTransformerTrainingNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        transformer = new MosoTransformerNetwork(config.Net);
        vqvae = new MosoVqVae(config.VqVae.Net);
        foreach (var p in vqvae.parameters()) p.requires_grad = false;
        RegisterComponents();
    }

    /// <summary>TransformerSO/G and TransformerM.</summary>
    public MosoTransformerNetwork Transformer => transformer;

    /// <summary>The frozen tokenizer and decoder.</summary>
    public MosoVqVae VqVae => vqvae;
}
