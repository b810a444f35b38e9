using Decoupled.Metrics;
using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Metrics.Frame;
using Decoupled.Pipelines.Data;
using Decoupled.Video;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>Generates a video for each evaluation item (from its first frame and condition) with the given seed.</summary>
/// <param name="items">A batch of items whose first frames, labels and captions condition the videos.</param>
/// <param name="seed">Seed of the batch's sampling noise.</param>
public delegate VideoClip[] ClipGenerator(IReadOnlyList<LabeledClip> items, long seed);

/// <summary>Per-item metrics of generated videos against the real clips they were conditioned on.</summary>
/// <param name="Metrics">Metric name to mean, std and count (per clip).</param>
/// <param name="Generated">The generated videos, in item order.</param>
/// <param name="Action">Tracker verdicts on the generated videos (when "action" was asked for).</param>
/// <param name="RealAction">Tracker verdicts on the real clips: the ceiling the generated ones are compared with.</param>
/// <param name="Seconds">Wall-clock seconds of generation and scoring.</param>
public sealed record GenerationEvaluationReport(
    IReadOnlyDictionary<string, MetricSummary> Metrics, IReadOnlyList<VideoClip> Generated,
    ActionAccuracyResult? Action, ActionAccuracyResult? RealAction, double Seconds);

/// <summary>
/// Scores conditional video generation item by item. Metrics: <c>action</c> (does the tracker see
/// the asked action; <c>action_real</c> is reported beside it for the real clips), <c>psnr</c> and
/// <c>ssim</c> of the generated frames after the first against the real ones, and
/// <c>first_frame_psnr</c> of the generated first frame against the given one, and
/// <c>content_consistency</c> (<see cref="ContentConsistency"/>: the object keeps its first frame's
/// colour; <c>content_consistency_real</c> beside it for the real clips).
/// </summary>
public static class GenerationEvaluation
{
    /// <summary>Metric names this evaluation computes.</summary>
    public static IReadOnlyList<string> KnownMetrics { get; } = ["action", "psnr", "ssim", "first_frame_psnr", "content_consistency"];

    /// <summary>Generates in batches of <paramref name="batchSize"/> (batch b uses seed + b) and scores every item.</summary>
    public static GenerationEvaluationReport Run(IReadOnlyList<LabeledClip> items, ClipGenerator generate, IReadOnlyCollection<string> metrics,
        int batchSize = 8, long seed = 0, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(generate);
        ArgumentNullException.ThrowIfNull(metrics);
        if (items.Count == 0) throw new ArgumentException("nothing to evaluate", nameof(items));
        if (batchSize < 1) throw new ArgumentException($"batch size must be at least 1, got {batchSize}", nameof(batchSize));
        foreach (var m in metrics)
            if (!KnownMetrics.Contains(m))
                throw new UserInputException($"unknown metric '{m}' (this evaluation computes {string.Join(", ", KnownMetrics)})");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var generated = new List<VideoClip>(items.Count);
        for (int start = 0, batch = 0; start < items.Count; start += batchSize, batch++)
        {
            var chunk = items.Skip(start).Take(batchSize).ToList();
            var videos = generate(chunk, seed + batch);
            if (videos.Length != chunk.Count) throw new InvalidOperationException($"the generator returned {videos.Length} videos for {chunk.Count} items");
            generated.AddRange(videos);
            progress?.Invoke(generated.Count, items.Count);
        }

        var summaries = new Dictionary<string, MetricSummary>();
        ActionAccuracyResult? action = null, realAction = null;
        var intended = items.Select(i => i.ClassId).ToList();
        if (metrics.Contains("action"))
        {
            action = ActionAccuracyMetric.Evaluate(generated, intended);
            realAction = ActionAccuracyMetric.Evaluate(items.Select(i => i.Clip).ToList(), intended);
            summaries["action"] = MetricSummary.Of(Hits(action, intended));
            summaries["action_real"] = MetricSummary.Of(Hits(realAction, intended));
        }
        if (metrics.Contains("content_consistency"))
        {
            summaries["content_consistency"] = MetricSummary.Of(generated.Select(ContentConsistency.Score).ToList());
            summaries["content_consistency_real"] = MetricSummary.Of(items.Select(i => ContentConsistency.Score(i.Clip)).ToList());
        }
        bool psnr = metrics.Contains("psnr"), ssim = metrics.Contains("ssim"), first = metrics.Contains("first_frame_psnr");
        if (psnr || first)
        {
            var perFrame = items.Select((item, i) => Psnr.PerFrame(item.Clip, Comparable(item.Clip, generated[i]))).ToList();
            if (psnr) summaries["psnr"] = MetricSummary.Of(perFrame.Select(AfterFirst).ToList());
            if (first) summaries["first_frame_psnr"] = MetricSummary.Of(perFrame.Select(f => f[0]).ToList());
        }
        if (ssim)
            summaries["ssim"] = MetricSummary.Of(items.Select((item, i) => AfterFirst(Ssim.PerFrame(item.Clip, Comparable(item.Clip, generated[i])))).ToList());
        return new GenerationEvaluationReport(summaries, generated, action, realAction, watch.Elapsed.TotalSeconds);
    }

    private static List<double> Hits(ActionAccuracyResult result, IReadOnlyList<int> intended) =>
        intended.Select((id, i) => result.Predictions[i].ActionId == id ? 1.0 : 0.0).ToList();

    // Frames after the given first one: what the model actually generated (the whole clip for one-frame clips).
    private static double AfterFirst(double[] perFrame) => perFrame.Length > 1 ? perFrame.Skip(1).Average() : perFrame[0];

    private static VideoClip Comparable(VideoClip real, VideoClip generated) =>
        generated.Frames == real.Frames && generated.Height == real.Height && generated.Width == real.Width
            ? generated
            : throw new InvalidOperationException($"a generated video is {generated.Frames}x{generated.Height}x{generated.Width}, its real clip {real.Frames}x{real.Height}x{real.Width}");
}
