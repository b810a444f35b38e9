namespace Decoupled.Generators.Diffusion;

/// <summary>The settings a sampler needs beyond the noise schedule; a plain record for <c>config.json</c>.</summary>
/// <param name="Prediction">What the network outputs; the sampler converts it to x_0 and eps.</param>
/// <param name="ClipSample">Clamp the predicted x_0 to [-ClipRange, ClipRange] before each step (right for data in [-1, 1], wrong for unbounded latents).</param>
/// <param name="ClipRange">Bound of the clamp.</param>
/// <param name="Spacing">How <see cref="IDiffusionSampler.SetTimesteps"/> picks its steps.</param>
public sealed record SamplerOptions(
    PredictionType Prediction = PredictionType.Epsilon,
    bool ClipSample = true,
    double ClipRange = 1.0,
    TimestepSpacing Spacing = TimestepSpacing.Linspace)
{
    /// <summary>Throws <see cref="ArgumentException"/> when the clip range is not a positive number.</summary>
    public void Validate()
    {
        if (!(ClipRange > 0 && double.IsFinite(ClipRange)))
            throw new ArgumentException($"clip_range must be a finite number > 0, got {ClipRange}.");
    }
}
