using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// Recognises the shapes actions from a tracked object, with fixed rules rather than learning, so
/// it scores generated clips the same way every time. Three kinds of evidence compete: net travel
/// (Theil-Sen fits of x(t) and y(t), whose angle picks one of 8 directions), a bounce (the object
/// dips well below both its start and end heights) and a size change (Theil-Sen fit of ln size).
/// </summary>
public static class ActionClassifier
{
    /// <summary>Net travel, as a fraction of the shorter frame side, that scores 1 (the dataset moves 0.35-0.55).</summary>
    public const double TranslationReference = 0.12;

    /// <summary>Bounce depth, as a fraction of the shorter frame side, that scores 1 (the dataset bounces 0.4+).</summary>
    public const double BounceReference = 0.12;

    /// <summary>Change of ln(size) that scores 1 (the dataset scales by 2-2.6x, i.e. 0.69-0.96).</summary>
    public const double ScaleReference = 0.405;

    /// <summary>Below this score a motion family counts as absent; with every family absent the verdict is none.</summary>
    public const double MinScore = 0.5;

    /// <summary>Tracks the object in <paramref name="clip"/> and classifies its motion.</summary>
    public static ActionPrediction Classify(VideoClip clip) => Classify(ObjectTracker.Track(clip));

    /// <summary>Classifies the motion of an existing track.</summary>
    public static ActionPrediction Classify(ObjectTrack track)
    {
        var evidence = Measure(track);
        if (track.Frames < 2 || evidence.Presence < 0.5) return new ActionPrediction(ActionPrediction.None, 0, evidence);

        Span<double> scores = [evidence.TranslationScore, evidence.BounceScore, evidence.ScaleScore];
        var winner = 0;
        for (var i = 1; i < 3; i++)
            if (scores[i] > scores[winner]) winner = i;
        var best = scores[winner];
        if (best < MinScore) return new ActionPrediction(ActionPrediction.None, 0, evidence);
        var second = 0.0;
        for (var i = 0; i < 3; i++)
            if (i != winner) second = Math.Max(second, scores[i]);

        var strength = Math.Clamp(best - MinScore, 0, 1);
        var margin = Math.Clamp(1 - second / best, 0, 1);
        var confidence = evidence.Presence * strength * margin;
        ShapeAction action;
        switch (winner)
        {
            case 0:
                action = Direction(evidence.Dx, evidence.Dy, out var clarity);
                confidence *= clarity;
                break;
            case 1:
                action = ShapeAction.Bounce;
                break;
            default:
                action = evidence.LogSizeChange > 0 ? ShapeAction.Grow : ShapeAction.Shrink;
                break;
        }
        return new ActionPrediction(action.Id, confidence, evidence);
    }

    /// <summary>Measures travel, bounce depth and size change on the frames where the object was found.</summary>
    public static MotionEvidence Measure(ObjectTrack track)
    {
        var found = track.Observations.Select((o, t) => (o, t)).Where(p => p.o.Found).ToArray();
        if (found.Length < 2) return new MotionEvidence(track.Presence, 0, 0, 0, 0, 0, 0, 0);

        var times = found.Select(p => (double)p.t).ToArray();
        var xs = found.Select(p => p.o.X).ToArray();
        var ys = found.Select(p => p.o.Y).ToArray();
        var logSizes = found.Select(p => 0.5 * Math.Log(p.o.Area)).ToArray();
        var span = track.Frames - 1;
        var dx = RobustFit.TheilSenSlope(times, xs) * span;
        var dy = RobustFit.TheilSenSlope(times, ys) * span;
        var dls = RobustFit.TheilSenSlope(times, logSizes) * span;
        var depth = BounceDepth(ys);

        // A straight line fitted to a dip-and-return still has a slope; travel that a dip explains
        // is not evidence of a straight move.
        var shortSide = Math.Min(track.Height, track.Width);
        var travel = Math.Max(0, Math.Sqrt(dx * dx + dy * dy) - depth);
        return new MotionEvidence(track.Presence, dx, dy, dls, depth,
            travel / (TranslationReference * shortSide),
            depth / (BounceReference * shortSide),
            Math.Abs(dls) / ScaleReference);
    }

    /// <summary>
    /// How far the lowest interior point lies below both ends (image y grows down). From five
    /// frames on, a 3-frame running median first removes single bad frames; shorter tracks are
    /// used as they are, since the median would flatten a dip made of one frame.
    /// </summary>
    private static double BounceDepth(double[] ys)
    {
        if (ys.Length < 3) return 0;
        var smooth = ys.Length >= 5 ? RobustFit.Median3(ys) : ys;
        var lowest = double.NegativeInfinity;
        for (var i = 1; i + 1 < smooth.Length; i++) lowest = Math.Max(lowest, smooth[i]);
        return Math.Max(0, Math.Min(lowest - smooth[0], lowest - smooth[^1]));
    }

    /// <summary>
    /// The compass direction (of 8) nearest the travel angle. Clarity is 1 up to 7.5 degrees off
    /// the sector centre and falls to 0 at the 22.5-degree boundary with the next direction.
    /// </summary>
    private static ShapeAction Direction(double dx, double dy, out double clarity)
    {
        var degrees = Math.Atan2(dy, dx) * (180 / Math.PI);
        var sector = (int)Math.Round(degrees / 45);
        var off = Math.Abs(degrees - sector * 45);
        clarity = Math.Clamp(1.5 * (1 - off / 22.5), 0, 1);
        // Sectors counted clockwise on screen (y points down) from "right".
        ReadOnlySpan<int> dirX = [1, 1, 0, -1, -1, -1, 0, 1];
        ReadOnlySpan<int> dirY = [0, 1, 1, 1, 0, -1, -1, -1];
        var k = (sector % 8 + 8) % 8;
        return ShapeAction.Translation(dirX[k], dirY[k])!;
    }
}
