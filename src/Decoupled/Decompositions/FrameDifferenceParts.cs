using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// D-VDM's target space: the first frame plus the differences of consecutive frames,
/// <c>Differences[n-1] = v[n] - v[n-1]</c>, in [-255, 255], layout <c>[T-1, H, W, C]</c>.
/// </summary>
/// <param name="FirstFrame">Frame 0 as a one-frame clip (the content).</param>
/// <param name="Differences">The T-1 frame differences (the motion).</param>
public sealed record FrameDifferenceParts(VideoClip FirstFrame, SignedVideo Differences)
{
    /// <summary>Mean |v[n] - v[n-1]| over every sample: what <c>decompose</c> reports as mean_abs_frame_difference.</summary>
    public double MeanAbsFrameDifference() => Differences.MeanAbs();
}
