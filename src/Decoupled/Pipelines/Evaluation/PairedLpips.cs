using Decoupled.Metrics;
using Decoupled.Metrics.Perceptual;
using Decoupled.Pipelines.Data;
using Decoupled.Video;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>
/// LPIPS of each generated clip against the real clip it was conditioned on, frame t against frame t,
/// averaged over the frames after the first (the given one), as <c>psnr</c> and <c>ssim</c> are; a
/// one-frame clip scores its only frame. The summary is over clips.
/// </summary>
public static class PairedLpips
{
    /// <summary>Mean, std and count over clips; <paramref name="progress"/> gets the clips done so far.</summary>
    public static MetricSummary Score(LpipsNetwork network, IReadOnlyList<LabeledClip> items, IReadOnlyList<VideoClip> generated, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(generated);
        if (items.Count != generated.Count) throw new ArgumentException($"{items.Count} real clips but {generated.Count} generated ones");
        if (items.Count == 0) throw new ArgumentException("nothing to score");
        var values = new double[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var perFrame = LpipsVideo.Score(network, items[i].Clip, generated[i]).PerFrame;
            values[i] = perFrame.Count > 1 ? perFrame.Skip(1).Average() : perFrame[0];
            progress?.Invoke(i + 1);
        }
        return MetricSummary.Of(values);
    }
}
