using Decoupled.Metrics;
using Decoupled.Metrics.Distribution;
using Decoupled.Metrics.Features;
using Decoupled.Metrics.Reference;
using Decoupled.Pipelines.Data;
using Decoupled.Runtime;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>
/// Metrics from the reference classifier trained on shapes (<see cref="ShapesClassifier"/>), for data no
/// pretrained network knows:
/// <list type="bullet">
/// <item><c>fd_shapes</c>: Frechet distance (float64) between Gaussians fitted to the classifier's pooled
/// features of the real and of the generated clips, covariances divided by N as for FVD
/// (<see cref="DistributionEvaluation.StyleGanCovariance"/>).</item>
/// <item><c>classifier_accuracy</c>: the fraction of generated clips the classifier assigns to the action
/// they were asked for; <c>classifier_accuracy_real</c>, beside it, the same on the real clips (the ceiling).</item>
/// </list>
/// </summary>
public static class ClassifierEvaluation
{
    /// <summary>Metric names this evaluation computes.</summary>
    public static IReadOnlyList<string> KnownMetrics { get; } = ["fd_shapes", "classifier_accuracy"];

    /// <summary>Clips the classifier runs on (its progress total): every real and every generated clip.</summary>
    public static int WorkItems(int real, int fake) => real + fake;

    /// <summary>
    /// Computes <paramref name="metrics"/> (names from <see cref="KnownMetrics"/>). <paramref name="fakeConditions"/>, one per
    /// generated clip, names the asked action (needed by classifier_accuracy); <paramref name="progress"/> gets (done, total) clips.
    /// </summary>
    /// <exception cref="UserInputException">Clips of another size than the classifier's, too few clips, or no asked actions.</exception>
    public static IReadOnlyDictionary<string, MetricSummary> Run(
        IReadOnlyList<LabeledClip> real, IReadOnlyList<VideoClip> fake, IReadOnlyList<LabeledClip>? fakeConditions,
        IReadOnlyCollection<string> metrics, ShapesClassifierExtractor classifier, int batchSize = 8, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(classifier);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch needs at least one clip");
        foreach (var m in metrics)
            if (!KnownMetrics.Contains(m)) throw new UserInputException($"unknown metric '{m}' (this evaluation computes {string.Join(", ", KnownMetrics)})");
        if (real.Count == 0 || fake.Count == 0) throw new UserInputException("the classifier metrics need real and generated clips");
        RequireSize(classifier.Config, real[0].Clip.Frames, real[0].Clip.Height, real[0].Clip.Width);
        RequireSize(classifier.Config, fake[0].Frames, fake[0].Height, fake[0].Width);
        if (metrics.Contains("fd_shapes") && (real.Count < 2 || fake.Count < 2))
            throw new UserInputException($"--metrics fd_shapes: needs at least 2 real and 2 generated clips, got {real.Count} and {fake.Count}");
        if (metrics.Contains("classifier_accuracy") && fakeConditions is null)
            throw new UserInputException("--metrics classifier_accuracy: the generated clips carry no asked action (more --fake clips than real ones?)");
        if (fakeConditions is not null && fakeConditions.Count != fake.Count)
            throw new ArgumentException($"{fake.Count} generated clips but {fakeConditions.Count} conditions", nameof(fakeConditions));

        int total = WorkItems(real.Count, fake.Count);
        var realClips = real.Select(c => c.Clip).ToList();
        // oneDNN only after it has matched the reference kernels on this network and batch shape.
        using var oneDnn = OneDnnSelfCheck.UseVerifiedForSampling(() => FirstBatchFeatures(classifier, realClips, batchSize), out _);
        var (realFeatures, realClasses) = Pass(classifier, realClips, batchSize, done => progress?.Invoke(done, total));
        var (fakeFeatures, fakeClasses) = Pass(classifier, fake, batchSize, done => progress?.Invoke(real.Count + done, total));

        var summaries = new Dictionary<string, MetricSummary>();
        if (metrics.Contains("fd_shapes"))
            summaries["fd_shapes"] = new MetricSummary(FrechetDistance.FromFeatures(realFeatures, fakeFeatures, DistributionEvaluation.StyleGanCovariance), 0, fake.Count);
        if (metrics.Contains("classifier_accuracy"))
        {
            summaries["classifier_accuracy"] = MetricSummary.Of(Hits(fakeClasses, fakeConditions!.Select(c => c.ClassId).ToList()));
            summaries["classifier_accuracy_real"] = MetricSummary.Of(Hits(realClasses, real.Select(c => c.ClassId).ToList()));
        }
        return summaries;
    }

    /// <summary>
    /// A <see cref="UserInputException"/> when clips of <paramref name="frames"/> x <paramref name="height"/> x <paramref name="width"/>
    /// are not the size <paramref name="config"/> was trained on: features of another size are not comparable.
    /// </summary>
    public static void RequireSize(ShapesClassifierConfig config, int frames, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (frames != config.Frames || height != config.Height || width != config.Width)
            throw new UserInputException($"--classifier: trained on {config.Frames}x{config.Height}x{config.Width} clips, but these are {frames}x{height}x{width}; train one for this size (train --model shapes-classifier --frames --size)");
    }

    private static Tensor FirstBatchFeatures(ShapesClassifierExtractor classifier, IReadOnlyList<VideoClip> clips, int batchSize)
    {
        using var bytes = DetectorInput.Clips(clips.Take(batchSize).ToList());
        return classifier.Features(bytes);
    }

    // One pass gives both the features (float64 rows) and the predicted classes.
    private static (FeatureMatrix Features, int[] Classes) Pass(ShapesClassifierExtractor classifier, IReadOnlyList<VideoClip> clips, int batchSize, Action<int> progress)
    {
        var parts = new List<Tensor>();
        var classes = new List<int>(clips.Count);
        try
        {
            for (int start = 0; start < clips.Count; start += batchSize)
            {
                var batch = clips.Skip(start).Take(batchSize).ToList();
                using var scope = NewDisposeScope();
                var (features, logits) = classifier.Classify(DetectorInput.Clips(batch));
                classes.AddRange(logits.argmax(1).data<long>().Select(v => (int)v));
                parts.Add(features.to(ScalarType.Float64).MoveToOuterDisposeScope());
                progress(start + batch.Count);
            }
            using var all = cat(parts, 0);
            return (FeatureMatrix.From(all), [.. classes]);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    private static List<double> Hits(IReadOnlyList<int> predicted, IReadOnlyList<int> asked) =>
        Enumerable.Range(0, asked.Count).Select(i => predicted[i] == asked[i] ? 1.0 : 0.0).ToList();
}
