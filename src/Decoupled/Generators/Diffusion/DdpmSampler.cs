using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// Ancestral sampling of Ho et al. (2020): x_prev = mu~(x_t, x_0) + sqrt(beta~_t) z, with the
/// posterior mean of equation 4 and the "fixed small" variance. With fewer steps than T the
/// betas are respaced as in improved DDPM: beta'_t = 1 - alphaBar_t / alphaBar_prev, so any
/// number of steps samples the same marginals.
/// <para>The variance is fixed by the schedule, so <c>eta</c> is checked but has no effect.</para>
/// </summary>
public sealed class DdpmSampler : DiffusionSampler
{
    /// <summary>A DDPM sampler over <paramref name="schedule"/>.</summary>
    public DdpmSampler(NoiseSchedule schedule, SamplerOptions? options = null) : base(schedule, options) { }

    /// <inheritdoc/>
    protected override Tensor StepCore(Tensor x0, Tensor epsilon, long t, long previous, Tensor sample, double eta, Tensor? noise, Generator? generator)
    {
        double alphaBarT = Schedule.AlphaBarAt(t);
        double alphaBarPrev = Schedule.AlphaBarAt(previous);
        double alphaStep = alphaBarT / alphaBarPrev;
        double betaStep = 1.0 - alphaStep;

        // Equation 4 with the respaced alpha'_t and beta'_t.
        double coefX0 = Math.Sqrt(alphaBarPrev) * betaStep / (1.0 - alphaBarT);
        double coefXt = Math.Sqrt(alphaStep) * (1.0 - alphaBarPrev) / (1.0 - alphaBarT);
        var mean = coefX0 * x0 + coefXt * sample;

        double variance = PosteriorVariance(t);
        if (variance <= 0.0) return mean;
        return mean + Math.Sqrt(variance) * FreshNoise(sample, noise, generator);
    }
}
