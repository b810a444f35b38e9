using Decoupled.Video;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// Whether a shapes-style clip keeps its content: in each frame after the first, the pixels that
/// stand out from the background (as the <see cref="ObjectTracker"/> defines them) must still be
/// there and keep the first frame's colour. Frame t counts as consistent when it has at least
/// max(2, n_0 / 8) standout pixels (shrinking to half the side keeps a quarter) and the mean colour
/// of the half of them farthest from the background (the object's core, not its blended edge) lies within <see cref="ObjectTracker.MinContrast"/> RGB units of frame 0's. A clip's score is
/// the fraction of consistent frames; a clip whose first frame has no object scores 0.
/// </summary>
public static class ContentConsistency
{
    /// <summary>The fraction of frames after the first that keep the first frame's object (1 for a one-frame clip with an object).</summary>
    public static double Score(VideoClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var palette = BackgroundPalette.FromBorder(clip);
        double threshold = Math.Max(ObjectTracker.MinContrast, ObjectTracker.SpreadFactor * palette.Spread);
        var frames = Enumerable.Range(0, clip.Frames).Select(t => Standouts(clip, t, palette, threshold)).ToArray();
        var first = frames[0];
        if (first.Count < 2) return 0;
        if (clip.Frames == 1) return 1;
        int consistent = frames.Skip(1).Count(f =>
            f.Count >= Math.Max(2, first.Count / 8)
            && Distance(f.Colour, first.Colour) < ObjectTracker.MinContrast);
        return consistent / (double)(clip.Frames - 1);
    }

    // The standout pixels' count, and the mean colour of the half of them farthest from the background:
    // the object's core, which anti-aliased edges (half the pixels of a small shape) do not tint.
    private static (int Count, (double R, double G, double B) Colour) Standouts(VideoClip clip, int t, BackgroundPalette palette, double threshold)
    {
        var px = clip.Pixels;
        int size = clip.Height * clip.Width, start = t * size;
        var standouts = new List<(float Distance, int Pixel)>();
        for (int i = start; i < start + size; i++)
        {
            float distance = palette.Distance(px[3 * i], px[3 * i + 1], px[3 * i + 2]);
            if (distance > threshold) standouts.Add((distance, i));
        }
        if (standouts.Count == 0) return (0, (0, 0, 0));
        var core = standouts.OrderByDescending(s => s.Distance).Take((standouts.Count + 1) / 2).ToList();
        double r = core.Average(s => (double)px[3 * s.Pixel]), g = core.Average(s => (double)px[3 * s.Pixel + 1]), b = core.Average(s => (double)px[3 * s.Pixel + 2]);
        return (standouts.Count, (r, g, b));
    }

    private static double Distance((double R, double G, double B) a, (double R, double G, double B) b) =>
        Math.Sqrt((a.R - b.R) * (a.R - b.R) + (a.G - b.G) * (a.G - b.G) + (a.B - b.B) * (a.B - b.B));
}
