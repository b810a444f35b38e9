using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// The encoder's posterior q(z|x) = N(mean, diag(exp(logvar))) of a KL autoencoder, from its
/// <c>[B, 2C, h, w]</c> output (mean first). Log-variance is clamped to [-30, 20] as in latent diffusion.
/// </summary>
public sealed class DiagonalGaussian : IDisposable
{
    /// <summary>Splits <paramref name="moments"/> <c>[B, 2C, h, w]</c> into mean and log-variance.</summary>
    public DiagonalGaussian(Tensor moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var parts = moments.chunk(2, 1);
        Mean = parts[0];
        LogVariance = parts[1].clamp(-30.0, 20.0);
    }

    /// <summary>Mean <c>[B, C, h, w]</c>: the deterministic latent.</summary>
    public Tensor Mean { get; }

    /// <summary>Log-variance, clamped.</summary>
    public Tensor LogVariance { get; }

    /// <summary>A reparameterised draw <c>mean + exp(logvar / 2) * noise</c> (differentiable in mean and logvar).</summary>
    public Tensor Sample(Generator? generator = null) =>
        Mean + (LogVariance * 0.5).exp() * randn(Mean.shape, dtype: Mean.dtype, generator: generator);

    /// <summary>KL(q || N(0, I)) summed over the latent's elements, one value per item <c>[B]</c>.</summary>
    public Tensor KlDivergence() =>
        ((Mean.square() + LogVariance.exp() - 1.0 - LogVariance) * 0.5).sum([1, 2, 3]);

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        LogVariance.Dispose();
    }
}
