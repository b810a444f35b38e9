using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.VideoDiffusion;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>Adapts a VDM / D-VDM / ED-VDM model to <see cref="ClipGenerator"/>: first frames plus labels or captions, as its config asks.</summary>
public static class VideoDiffusionGenerator
{
    /// <summary>A generator that samples with the given settings; <paramref name="cancellation"/> is checked before each batch.</summary>
    public static ClipGenerator For(VideoDiffusionModel model, int steps, SamplerKind sampler, double guidance, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var condition = model.Config.Condition;
        return (chunk, seed) =>
        {
            cancellation.ThrowIfCancellationRequested();
            return model.Sample(chunk.Select(c => c.Clip.Slice(0, 1)).ToList(),
                condition == ConditionKind.Label ? chunk.Select(c => c.ClassId).ToList() : null,
                condition == ConditionKind.Text ? chunk.Select(c => c.Caption).ToList() : null,
                steps, sampler, guidance, seed: seed);
        };
    }
}
