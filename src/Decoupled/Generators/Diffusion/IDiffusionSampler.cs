using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// A reverse-process sampler in the diffusers shape: pure math over a <see cref="NoiseSchedule"/>,
/// no network inside. Call <see cref="SetTimesteps"/>, then for each t of <see cref="Timesteps"/>
/// run the network and pass its output to <see cref="Step"/>.
/// </summary>
public interface IDiffusionSampler
{
    /// <summary>The training schedule the sampler walks back along.</summary>
    NoiseSchedule Schedule { get; }

    /// <summary>Prediction type, clipping and spacing.</summary>
    SamplerOptions Options { get; }

    /// <summary>The timesteps of the current plan, largest first (all T until <see cref="SetTimesteps"/> is called).</summary>
    IReadOnlyList<long> Timesteps { get; }

    /// <summary>Plans <paramref name="steps"/> reverse steps (1..T) spaced by <see cref="SamplerOptions.Spacing"/>.</summary>
    void SetTimesteps(int steps);

    /// <summary>The timestep that follows <paramref name="t"/> in the plan, or -1 (the clean sample, alphaBar = 1) after the last.</summary>
    long PreviousTimestep(long t);

    /// <summary>
    /// One reverse step from x_t to x_{prev}. <paramref name="noise"/> is the fresh noise of the step
    /// (shape of <paramref name="sample"/>); when null and the step needs noise, it is drawn from
    /// <paramref name="generator"/> or, when that is null too, from torch's global generator.
    /// Throws <see cref="ArgumentException"/> when <paramref name="t"/> is not in the plan, eta lies
    /// outside [0, 1], or a shape does not match.
    /// </summary>
    SamplerStepResult Step(Tensor modelOutput, long t, Tensor sample, double eta = 0.0, Tensor? noise = null, Generator? generator = null);
}
