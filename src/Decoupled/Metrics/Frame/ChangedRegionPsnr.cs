using Decoupled.Video;

namespace Decoupled.Metrics.Frame;

/// <summary>
/// PSNR over the pixels that change: those where a true future frame differs from the last
/// given frame by more than a threshold (largest channel), pooled over all predicted frames.
/// <para>
/// Not one of the papers' metrics. Full-frame PSNR and SSIM on scenes with a small moving object
/// are dominated by the still background, so a prediction that erases the object (or copies the
/// last frame) can beat one that draws it slightly off. This score looks only where something
/// happens: copying the last frame scores low by construction, erasing the object is wrong where
/// it arrives, and only drawing the object where it goes scores high. Read it beside PSNR/SSIM,
/// which catch changes invented where the truth is still.
/// </para>
/// </summary>
public static class ChangedRegionPsnr
{
    /// <summary>Default change threshold on the 0..255 scale: above the noise of compressed real footage.</summary>
    public const int DefaultThreshold = 16;

    /// <summary>
    /// PSNR of <paramref name="distorted"/> against <paramref name="reference"/> (the true future
    /// frames) over the pixels where the reference differs from <paramref name="lastGiven"/> by more
    /// than <paramref name="threshold"/> in some channel; null when no pixel changes.
    /// </summary>
    public static double? Clip(VideoClip reference, VideoClip distorted, ReadOnlySpan<byte> lastGiven, int threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        FrameMetric.CheckSameSize(reference, distorted);
        if (lastGiven.Length != reference.FrameSize)
            throw new ArgumentException($"the last given frame has {lastGiven.Length} bytes, the clip's frames {reference.FrameSize}");
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        long sum = 0, values = 0;
        for (int t = 0; t < reference.Frames; t++)
        {
            var truth = reference.Frame(t);
            var guess = distorted.Frame(t);
            for (int p = 0; p < truth.Length; p += VideoClip.Channels)
            {
                if (!Changed(truth.Slice(p, VideoClip.Channels), lastGiven.Slice(p, VideoClip.Channels), threshold)) continue;
                for (int c = p; c < p + VideoClip.Channels; c++)
                {
                    int d = truth[c] - guess[c];
                    sum += d * d;
                }
                values += VideoClip.Channels;
            }
        }
        return values == 0 ? null : Psnr.FromMse((double)sum / values);
    }

    private static bool Changed(ReadOnlySpan<byte> pixel, ReadOnlySpan<byte> before, int threshold)
    {
        for (int c = 0; c < pixel.Length; c++)
            if (Math.Abs(pixel[c] - before[c]) > threshold) return true;
        return false;
    }
}
