using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// ED-VDM's residual autoencoder (a KL-regularised autoencoder in the latent-diffusion style):
/// a residual frame <c>[B, 3, H, W]</c>, scaled to about [-1, 1], becomes a latent
/// <c>[B, C, H/f, W/f]</c> on the grid of the motion vectors; state-dict names
/// <c>encoder.*</c> and <c>decoder.*</c>.
/// </summary>
public sealed class ResidualVae : nn.Module<Tensor, Tensor>
{
    private readonly VaeEncoder encoder;
    private readonly VaeDecoder decoder;

    /// <summary>
    /// Starts the autoencoder as the linear block code <paramref name="projection"/>
    /// <c>[C, 3 f f]</c> with orthonormal rows (a block DCT keeping C coefficients, say): the
    /// encoder's mean is the code, the decoder its transpose, and both deep paths start at zero,
    /// so training begins at that code's quality and can only add what it misses.
    /// </summary>
    public void StartFromLinearCode(Tensor projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        int f = Config.DownsamplingFactor;
        long patch = Config.ImageChannels * f * f;
        if (!Config.LinearShortcut) throw new InvalidOperationException("only an autoencoder with a linear shortcut can start from a linear code");
        if (projection.shape.Length != 2 || projection.shape[0] != Config.LatentChannels || projection.shape[1] != patch)
            throw new ArgumentException($"a linear code for this autoencoder is [{Config.LatentChannels}, {patch}], got [{string.Join(",", projection.shape)}]");
        using var weight = projection.to_type(ScalarType.Float32);
        using var inverse = weight.t().contiguous();
        encoder.StartFromLinearCode(weight);
        decoder.StartFromLinearCode(inverse);
    }

    /// <summary>Builds the autoencoder <paramref name="config"/> describes (validated first).</summary>
    public ResidualVae(ResidualVaeConfig config) : base(nameof(ResidualVae))
    {
        ArgumentNullException.ThrowIfNull(config);
        Runtime.TorchRuntime.Initialize();
        config.Validate();
        Config = config;
        encoder = new VaeEncoder(config);
        decoder = new VaeDecoder(config);
        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public ResidualVaeConfig Config { get; }

    /// <summary>The posterior q(z | x) of frames <paramref name="x"/> <c>[B, 3, H, W]</c> (H and W multiples of the factor).</summary>
    public DiagonalGaussian Encode(Tensor x)
    {
        int f = Config.DownsamplingFactor;
        if (x.dim() != 4 || x.shape[1] != Config.ImageChannels || x.shape[2] % f != 0 || x.shape[3] % f != 0)
            throw new ArgumentException($"the residual autoencoder takes [B, {Config.ImageChannels}, H, W] with H and W multiples of {f}, got [{string.Join(",", x.shape)}].");
        return new DiagonalGaussian(encoder.call(x));
    }

    /// <summary>Frames <c>[B, 3, h f, w f]</c> from latents <paramref name="z"/> <c>[B, C, h, w]</c>.</summary>
    public Tensor Decode(Tensor z)
    {
        if (z.dim() != 4 || z.shape[1] != Config.LatentChannels)
            throw new ArgumentException($"the residual decoder takes [B, {Config.LatentChannels}, h, w], got [{string.Join(",", z.shape)}].");
        return decoder.call(z);
    }

    /// <summary>The deterministic reconstruction D(mean of E(x)).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var posterior = Encode(x);
        return Decode(posterior.Mean).MoveToOuterDisposeScope();
    }
}
