using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// Action accuracy: the fraction of clips (typically generated from an action-conditioned
/// prompt) in which the tracker recognises the action that was asked for.
/// </summary>
public static class ActionAccuracyMetric
{
    /// <summary>Classifies every clip (in parallel) and compares with <paramref name="intendedActionIds"/>.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or an id is not an action.</exception>
    public static ActionAccuracyResult Evaluate(IReadOnlyList<VideoClip> clips, IReadOnlyList<int> intendedActionIds)
    {
        if (clips.Count != intendedActionIds.Count)
            throw new ArgumentException($"{clips.Count} clips but {intendedActionIds.Count} intended actions", nameof(intendedActionIds));
        foreach (var id in intendedActionIds)
            if ((uint)id >= (uint)ShapeAction.All.Count)
                throw new ArgumentException($"intended action id {id} is not in 0..{ShapeAction.All.Count - 1}", nameof(intendedActionIds));
        var predictions = new ActionPrediction[clips.Count];
        Parallel.For(0, clips.Count, i => predictions[i] = ActionClassifier.Classify(clips[i]));
        return new ActionAccuracyResult(intendedActionIds, predictions);
    }

    /// <summary>Scores dataset samples against their own labels (a sanity check of the tracker).</summary>
    public static ActionAccuracyResult Evaluate(IEnumerable<ShapesSample> samples)
    {
        var list = samples.ToList();
        return Evaluate(list.Select(s => s.Clip).ToList(), list.Select(s => s.ClassId).ToList());
    }
}
