using Decoupled.Metrics.Distribution;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>Runs an extractor over many clips in batches and gathers the rows as one float64 <see cref="FeatureMatrix"/>.</summary>
public static class FeatureBatches
{
    /// <summary>One feature row per clip (<see cref="IVideoFeatureExtractor"/>); <paramref name="progress"/> gets the clips done so far.</summary>
    public static FeatureMatrix Videos(IVideoFeatureExtractor extractor, IReadOnlyList<VideoClip> clips, int batchSize, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return Gather(clips, batchSize, progress, batch => extractor.Features(DetectorInput.Clips(batch)));
    }

    /// <summary>One row per frame of every clip, clip by clip (<see cref="IImageFeatureExtractor.Features"/>).</summary>
    public static FeatureMatrix FrameFeatures(IImageFeatureExtractor extractor, IReadOnlyList<VideoClip> clips, int batchSize, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return Gather(clips, batchSize, progress, batch => extractor.Features(DetectorInput.Frames(batch)));
    }

    /// <summary>One probability row per frame of every clip, clip by clip (<see cref="IImageFeatureExtractor.Probabilities"/>).</summary>
    public static FeatureMatrix FrameProbabilities(IImageFeatureExtractor extractor, IReadOnlyList<VideoClip> clips, int batchSize, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return Gather(clips, batchSize, progress, batch => extractor.Probabilities(DetectorInput.Frames(batch)));
    }

    private static FeatureMatrix Gather(IReadOnlyList<VideoClip> clips, int batchSize, Action<int>? progress, Func<IReadOnlyList<VideoClip>, Tensor> run)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0) throw new ArgumentException("no clips to extract features from");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch needs at least one clip");
        var parts = new List<Tensor>();
        try
        {
            using var noGrad = torch.no_grad();
            for (int start = 0; start < clips.Count; start += batchSize)
            {
                var batch = clips.Skip(start).Take(batchSize).ToList();
                using var scope = NewDisposeScope();
                // float64 on the CPU right away: the statistics are float64, and the batch's graph can go.
                parts.Add(run(batch).detach().to(ScalarType.Float64).cpu().MoveToOuterDisposeScope());
                progress?.Invoke(start + batch.Count);
            }
            using var all = cat(parts, 0);
            return FeatureMatrix.From(all);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
