using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// DDIM (Song et al. 2021, equation 12):
/// x_prev = sqrt(alphaBar_prev) x_0 + sqrt(1 - alphaBar_prev - sigma_t^2) eps + sigma_t z, with
/// sigma_t = eta sqrt((1 - alphaBar_prev) / (1 - alphaBar_t)) sqrt(1 - alphaBar_t / alphaBar_prev).
/// eta = 0 is deterministic; eta = 1 has DDPM's (respaced) posterior variance. The step after the
/// last planned timestep lands on alphaBar = 1, i.e. on the predicted x_0.
/// </summary>
public sealed class DdimSampler : DiffusionSampler
{
    /// <summary>A DDIM sampler over <paramref name="schedule"/>.</summary>
    public DdimSampler(NoiseSchedule schedule, SamplerOptions? options = null) : base(schedule, options) { }

    /// <summary>sigma_t of the jump from <paramref name="t"/> to its previous planned timestep.</summary>
    public double Sigma(long t, double eta)
    {
        CheckEta(eta);
        return eta * Math.Sqrt(PosteriorVariance(t));
    }

    /// <inheritdoc/>
    protected override Tensor StepCore(Tensor x0, Tensor epsilon, long t, long previous, Tensor sample, double eta, Tensor? noise, Generator? generator)
    {
        double alphaBarPrev = Schedule.AlphaBarAt(previous);
        double sigma = Sigma(t, eta);
        // Rounding can push 1 - alphaBar_prev - sigma^2 a hair below zero when eta = 1 near t = 0.
        double direction = Math.Sqrt(Math.Max(0.0, 1.0 - alphaBarPrev - sigma * sigma));
        var deterministic = Math.Sqrt(alphaBarPrev) * x0 + direction * epsilon;
        if (sigma <= 0.0) return deterministic;
        return deterministic + sigma * FreshNoise(sample, noise, generator);
    }
}
