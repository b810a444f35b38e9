using Decoupled.Metrics;
using Decoupled.Metrics.Distribution;
using Decoupled.Metrics.Features;
using Decoupled.Pipelines.Data;
using Decoupled.Video;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>
/// Distribution metrics of generated clips against real ones, no pairing needed:
/// <list type="bullet">
/// <item><c>fvd</c>: Frechet distance (float64) between Gaussians fitted to the I3D features of the real and the generated clips.</item>
/// <item><c>kvd</c>: unbiased MMD^2 with the cubic polynomial kernel on the same features, mean and std over random subsets.</item>
/// <item><c>cfvd</c> / <c>sfvd</c>: FVD within each class / each subject (first frame), mean and std over the groups that have at least 2 clips on both sides.
/// A generated clip belongs to the group of the real item it was conditioned on (<c>fakeConditions</c>).</item>
/// <item><c>fid</c>: Frechet distance between Inception pool features of every real and every generated frame.</item>
/// <item><c>is</c>: Inception Score of every generated frame, mean and std over splits.</item>
/// </list>
/// </summary>
public static class DistributionEvaluation
{
    /// <summary>FVD and FID take their covariances as the code of the networks they use does (divided by N).</summary>
    public const CovarianceEstimator StyleGanCovariance = CovarianceEstimator.Population;

    /// <summary>Metric names this evaluation computes.</summary>
    public static IReadOnlyList<string> KnownMetrics { get; } = ["fvd", "kvd", "cfvd", "sfvd", "fid", "is"];

    /// <summary>The metrics that need the video network (I3D).</summary>
    public static IReadOnlyList<string> VideoMetrics { get; } = ["fvd", "kvd", "cfvd", "sfvd"];

    /// <summary>The metrics that need the image network (Inception).</summary>
    public static IReadOnlyList<string> ImageMetrics { get; } = ["fid", "is"];

    /// <summary>Extractor passes over clips that <see cref="Run"/> makes, the total its progress callback counts to.</summary>
    public static int WorkItems(int real, int fake, IReadOnlyCollection<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        int total = 0;
        if (metrics.Any(VideoMetrics.Contains)) total += real + fake;
        if (metrics.Contains("fid")) total += real + fake;
        if (metrics.Contains("is")) total += fake;
        return total;
    }

    /// <summary>
    /// True when grouping by class (<paramref name="bySubject"/> false) or subject gives at least one group
    /// with 2 real and 2 generated clips, i.e. cFVD / sFVD can be computed.
    /// </summary>
    public static bool CanGroup(IReadOnlyList<LabeledClip> real, IReadOnlyList<LabeledClip>? fakeConditions, bool bySubject)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (fakeConditions is null) return false;
        Func<LabeledClip, int> key = bySubject ? c => c.SubjectId : c => c.ClassId;
        var realCounts = real.Where(c => key(c) >= 0).GroupBy(key).ToDictionary(g => g.Key, g => g.Count());
        return fakeConditions.Where(c => key(c) >= 0).GroupBy(key)
            .Any(g => g.Count() >= GroupedFrechet.DefaultMinRows && realCounts.GetValueOrDefault(g.Key) >= GroupedFrechet.DefaultMinRows);
    }

    /// <summary>
    /// Computes <paramref name="metrics"/> (names from <see cref="KnownMetrics"/>). <paramref name="fakeConditions"/>, one per
    /// generated clip, gives the class and subject cfvd / sfvd group it by; <paramref name="progress"/> gets (done, total) in clip passes.
    /// </summary>
    /// <exception cref="UserInputException">A metric without its network, too few clips, or no group for cfvd / sfvd.</exception>
    public static DistributionEvaluationReport Run(
        IReadOnlyList<LabeledClip> real, IReadOnlyList<VideoClip> fake, IReadOnlyList<LabeledClip>? fakeConditions,
        IReadOnlyCollection<string> metrics, IVideoFeatureExtractor? video, IImageFeatureExtractor? image,
        DistributionEvaluationOptions? options = null, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(metrics);
        options ??= new DistributionEvaluationOptions();
        foreach (var m in metrics)
            if (!KnownMetrics.Contains(m)) throw new UserInputException($"unknown metric '{m}' (this evaluation computes {string.Join(", ", KnownMetrics)})");
        if (fakeConditions is not null && fakeConditions.Count != fake.Count)
            throw new ArgumentException($"{fake.Count} generated clips but {fakeConditions.Count} conditions", nameof(fakeConditions));
        bool videoMetrics = metrics.Any(VideoMetrics.Contains);
        if (videoMetrics && video is null) throw new UserInputException($"--metrics {string.Join(",", metrics.Where(VideoMetrics.Contains))}: needs the I3D network (--i3d FILE)");
        if (metrics.Any(ImageMetrics.Contains) && image is null) throw new UserInputException($"--metrics {string.Join(",", metrics.Where(ImageMetrics.Contains))}: needs the Inception network (--inception FILE)");
        if ((videoMetrics || metrics.Contains("fid")) && (real.Count < 2 || fake.Count < 2))
            throw new UserInputException($"distribution metrics need at least 2 real and 2 generated clips, got {real.Count} and {fake.Count}");

        int total = WorkItems(real.Count, fake.Count, metrics), done = 0;
        Action<int> Pass()
        {
            int before = done;
            return finished => progress?.Invoke(done = before + finished, total);
        }

        var realClips = real.Select(c => c.Clip).ToList();
        var summaries = new Dictionary<string, MetricSummary>();
        GroupedFrechetResult<int>? classGroups = null, subjectGroups = null;
        if (videoMetrics)
        {
            var realFeatures = FeatureBatches.Videos(video!, realClips, options.BatchSize, Pass());
            var fakeFeatures = FeatureBatches.Videos(video!, fake, options.BatchSize, Pass());
            if (metrics.Contains("fvd")) summaries["fvd"] = new MetricSummary(FrechetDistance.FromFeatures(realFeatures, fakeFeatures, StyleGanCovariance), 0, fake.Count);
            if (metrics.Contains("kvd")) summaries["kvd"] = KernelDistance.Compute(realFeatures, fakeFeatures, options.Kvd);
            if (metrics.Contains("cfvd"))
            {
                classGroups = Grouped("cfvd", real, fakeConditions, realFeatures, fakeFeatures, bySubject: false);
                summaries["cfvd"] = classGroups.Summary;
            }
            if (metrics.Contains("sfvd"))
            {
                subjectGroups = Grouped("sfvd", real, fakeConditions, realFeatures, fakeFeatures, bySubject: true);
                summaries["sfvd"] = subjectGroups.Summary;
            }
        }
        if (metrics.Contains("fid"))
        {
            var realFeatures = FeatureBatches.FrameFeatures(image!, realClips, options.BatchSize, Pass());
            var fakeFeatures = FeatureBatches.FrameFeatures(image!, fake, options.BatchSize, Pass());
            summaries["fid"] = new MetricSummary(FrechetDistance.FromFeatures(realFeatures, fakeFeatures, StyleGanCovariance), 0, fakeFeatures.Rows);
        }
        if (metrics.Contains("is"))
        {
            var probabilities = FeatureBatches.FrameProbabilities(image!, fake, options.BatchSize, Pass());
            summaries["is"] = InceptionScore.FromProbabilities(probabilities, Math.Min(options.InceptionSplits, probabilities.Rows));
        }
        return new DistributionEvaluationReport(summaries, classGroups, subjectGroups);
    }

    private static GroupedFrechetResult<int> Grouped(string name, IReadOnlyList<LabeledClip> real, IReadOnlyList<LabeledClip>? conditions,
        FeatureMatrix realFeatures, FeatureMatrix fakeFeatures, bool bySubject)
    {
        if (!CanGroup(real, conditions, bySubject))
            throw new UserInputException($"--metrics {name}: no {(bySubject ? "subject" : "class")} has 2 real and 2 generated clips" +
                (conditions is null ? " (the generated clips carry no conditions to group by)" : ""));
        Func<LabeledClip, int> key = bySubject ? c => c.SubjectId : c => c.ClassId;
        // Clips without a key (subject -1: datasets without subjects) stay out of every group.
        var realRows = Enumerable.Range(0, real.Count).Where(i => key(real[i]) >= 0).ToList();
        var fakeRows = Enumerable.Range(0, conditions!.Count).Where(i => key(conditions[i]) >= 0).ToList();
        return GroupedFrechet.Compute(realFeatures.SelectRows(realRows), realRows.Select(i => key(real[i])).ToList(),
            fakeFeatures.SelectRows(fakeRows), fakeRows.Select(i => key(conditions[i])).ToList(), estimator: StyleGanCovariance);
    }
}
