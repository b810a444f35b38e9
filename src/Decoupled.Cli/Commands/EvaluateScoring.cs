using Decoupled.Cli.Infrastructure;
using Decoupled.Metrics;
using Decoupled.Metrics.Features;
using Decoupled.Metrics.Perceptual;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Pipelines.Reference;
using Decoupled.Video;

namespace Decoupled.Cli.Commands;

/// <summary>
/// The metrics of <c>evaluate</c> that come after the videos exist (generated or read): LPIPS, the
/// reference classifier's metrics and the distribution metrics, each stage behind its own progress
/// bar. Networks are loaded only for the metrics asked for, and disposed at the end.
/// </summary>
internal static class EvaluateScoring
{
    /// <summary>
    /// Adds lpips, fd_shapes, classifier_accuracy (with classifier_accuracy_real), fvd, kvd, cfvd, sfvd, fid and is
    /// (those in <paramref name="names"/>) to <paramref name="metrics"/>; <paramref name="classifier"/> is the classifier's checkpoint folder;
    /// cfvd and sfvd are added on their own beside fvd when the clips have classes / subjects to group by.
    /// Returns the grouped results for the JSON report.
    /// </summary>
    public static async Task<DistributionEvaluationReport?> RunAsync(IReadOnlyList<string> names, IReadOnlyList<LabeledClip> real,
        IReadOnlyList<LabeledClip> pairedReal, IReadOnlyList<VideoClip> pairedFake, IReadOnlyList<VideoClip> fake, IReadOnlyList<LabeledClip>? fakeConditions,
        FileInfo? lpips, FileInfo? i3d, FileInfo? inception, string? classifier, int batch, int seed,
        IDictionary<string, MetricSummary> metrics, CancellationToken token)
    {
        if (names.Contains("lpips"))
        {
            using var network = LpipsWeights.Load(lpips!.FullName);
            MetricSummary score = null!;
            await ProgressBar.RunAsync("LPIPS", pairedReal.Count, tick => Task.Run(() =>
            {
                int done = 0;
                score = PairedLpips.Score(network, pairedReal, pairedFake, finished => { token.ThrowIfCancellationRequested(); for (; done < finished; done++) tick(); });
            }, token));
            metrics["lpips"] = score;
        }

        var byClassifier = names.Where(ClassifierEvaluation.KnownMetrics.Contains).ToList();
        if (byClassifier.Count > 0)
        {
            using var network = ShapesClassifierModel.LoadExtractor(classifier!);
            IReadOnlyDictionary<string, MetricSummary> scores = null!;
            await ProgressBar.RunAsync("classifier", ClassifierEvaluation.WorkItems(real.Count, fake.Count), tick => Task.Run(() =>
            {
                int done = 0;
                scores = ClassifierEvaluation.Run(real, fake, fakeConditions, byClassifier, network, batch,
                    (finished, _) => { token.ThrowIfCancellationRequested(); for (; done < finished; done++) tick(); });
            }, token));
            foreach (var (name, summary) in scores) metrics[name] = summary;
        }

        var distribution = names.Where(DistributionEvaluation.KnownMetrics.Contains).ToList();
        if (distribution.Count == 0) return null;
        if (distribution.Contains("fvd"))
        {
            // Grouped FVD comes with FVD whenever the clips can be grouped: same features, a few more covariances.
            if (!distribution.Contains("cfvd") && DistributionEvaluation.CanGroup(real, fakeConditions, bySubject: false)) distribution.Add("cfvd");
            if (!distribution.Contains("sfvd") && DistributionEvaluation.CanGroup(real, fakeConditions, bySubject: true)) distribution.Add("sfvd");
        }
        using var video = distribution.Any(DistributionEvaluation.VideoMetrics.Contains) ? I3dFeatureExtractor.Load(i3d!.FullName) : null;
        using var image = distribution.Any(DistributionEvaluation.ImageMetrics.Contains) ? InceptionFeatureExtractor.Load(inception!.FullName) : null;
        var options = new DistributionEvaluationOptions { BatchSize = batch, Kvd = new Metrics.Distribution.KernelDistanceOptions { Seed = seed } };
        DistributionEvaluationReport report = null!;
        await ProgressBar.RunAsync("features", DistributionEvaluation.WorkItems(real.Count, fake.Count, distribution), tick => Task.Run(() =>
        {
            int done = 0;
            report = DistributionEvaluation.Run(real, fake, fakeConditions, distribution, video, image, options,
                (finished, _) => { token.ThrowIfCancellationRequested(); for (; done < finished; done++) tick(); });
        }, token));
        foreach (var (name, summary) in report.Metrics) metrics[name] = summary;
        return report;
    }
}
