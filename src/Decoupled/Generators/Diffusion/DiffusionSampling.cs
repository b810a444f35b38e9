using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>The reverse-process loop shared by every diffusion model: network outside, sampler inside.</summary>
public static class DiffusionSampling
{
    /// <summary>
    /// Walks <paramref name="initialNoise"/> (x_T) back to x_0 in <paramref name="steps"/> steps.
    /// <paramref name="model"/> gets x_t and a long tensor <c>[B]</c> filled with t, and returns what
    /// the sampler's <see cref="SamplerOptions.Prediction"/> says (eps by default; wrap it with
    /// <see cref="ClassifierFreeGuidance.Guide"/> for guidance). <paramref name="noiseProvider"/>,
    /// when given, supplies each step's fresh noise from the step index and the current sample
    /// (VideoFusion shares it across frames); otherwise the sampler draws from <paramref name="generator"/>.
    /// Runs without autograd; the result belongs to the caller, <paramref name="initialNoise"/> is left alone.
    /// </summary>
    public static Tensor Run(
        Func<Tensor, Tensor, Tensor> model,
        Tensor initialNoise,
        IDiffusionSampler sampler,
        int steps,
        double eta = 0.0,
        Func<int, Tensor, Tensor>? noiseProvider = null,
        Generator? generator = null,
        Action<SamplingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(initialNoise);
        ArgumentNullException.ThrowIfNull(sampler);
        if (!(eta >= 0.0 && eta <= 1.0))
            throw new ArgumentException($"eta must lie in [0, 1], got {eta}.", nameof(eta));
        if (initialNoise.dim() < 1)
            throw new ArgumentException("the initial noise needs a batch dimension.", nameof(initialNoise));
        sampler.SetTimesteps(steps);

        using var noGrad = torch.no_grad();
        var plan = sampler.Timesteps;
        Tensor sample = initialNoise;
        for (int i = 0; i < plan.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            long t = plan[i];
            var timesteps = torch.full([initialNoise.shape[0]], t, dtype: ScalarType.Int64, device: initialNoise.device);
            var output = model(sample, timesteps);
            var noise = noiseProvider?.Invoke(i, sample);
            var result = sampler.Step(output, t, sample, eta, noise, generator);
            progress?.Invoke(new SamplingProgress(i, plan.Count, t, result.PredictedX0));

            var next = result.PreviousSample.MoveToOuterDisposeScope();
            if (!ReferenceEquals(sample, initialNoise)) sample.Dispose();
            sample = next;
        }
        return ReferenceEquals(sample, initialNoise) ? initialNoise.clone() : sample;
    }
}
