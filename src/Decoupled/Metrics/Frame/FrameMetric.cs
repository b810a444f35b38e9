using Decoupled.Video;

namespace Decoupled.Metrics.Frame;

/// <summary>Checks shared by the per-frame metrics.</summary>
internal static class FrameMetric
{
    internal static void CheckSameSize(VideoClip a, VideoClip b)
    {
        if (a.Frames != b.Frames || a.Height != b.Height || a.Width != b.Width)
            throw new ArgumentException($"clips differ in size: {a.Frames}x{a.Height}x{a.Width} vs {b.Frames}x{b.Height}x{b.Width}");
    }
}
