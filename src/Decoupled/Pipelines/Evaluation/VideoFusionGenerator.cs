using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>
/// Adapts a VideoFusion model to <see cref="ClipGenerator"/>: it generates from the items' labels or
/// captions alone (VideoFusion is not given a first frame), one noise seed per item.
/// </summary>
public static class VideoFusionGenerator
{
    /// <summary>A generator that samples with the given settings; <paramref name="cancellation"/> is checked before each batch.</summary>
    public static ClipGenerator For(VideoFusionModel model, int steps, SamplerKind sampler, double guidance, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var condition = model.Config.Condition;
        var options = new VideoFusionSampleOptions { Steps = steps, Sampler = sampler, Guidance = guidance };
        return (chunk, seed) =>
        {
            cancellation.ThrowIfCancellationRequested();
            // Batch seeds are consecutive (GenerationEvaluation); spread them so that items never share noise.
            var seeds = Enumerable.Range(0, chunk.Count).Select(i => NoiseSeeds.From(seed * 100_003 + i)).ToList();
            return model.Sample(seeds,
                condition == ConditionKind.Label ? chunk.Select(c => c.ClassId).ToList() : null,
                condition == ConditionKind.Text ? chunk.Select(c => c.Caption).ToList() : null,
                options);
        };
    }
}
