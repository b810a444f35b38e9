using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// D-VDM's decomposition: first frame plus consecutive frame differences; the inverse is a
/// cumulative sum and is exact.
/// </summary>
public sealed class FrameDifference : IVideoDecomposition<FrameDifferenceParts>
{
    /// <inheritdoc />
    public string Name => "frame-difference";

    /// <inheritdoc />
    public FrameDifferenceParts Decompose(VideoClip clip)
    {
        ClipRequirements.AtLeastFrames(clip, 2, Name);
        var diffs = new SignedVideo(clip.Frames - 1, clip.Height, clip.Width, VideoClip.Channels);
        Parallel.For(1, clip.Frames, t =>
            PixelMath.Subtract(clip.Frame(t), clip.Frame(t - 1), diffs.Frame(t - 1)));
        return new FrameDifferenceParts(clip.Slice(0, 1), diffs);
    }

    /// <summary>
    /// Cumulative sum from the first frame. Values are clamped to 0..255, a no-op for exact
    /// parts; generated differences may drift out of range and are kept displayable.
    /// </summary>
    public VideoClip Reconstruct(FrameDifferenceParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var first = parts.FirstFrame;
        var diffs = parts.Differences;
        if (diffs.Height != first.Height || diffs.Width != first.Width || diffs.Channels != VideoClip.Channels)
            throw new UserInputException($"frame differences are {diffs.Height}x{diffs.Width}x{diffs.Channels} but the first frame is {first.Height}x{first.Width}x3");
        var clip = new VideoClip(diffs.Frames + 1, first.Height, first.Width, first.FramesPerSecond);
        first.Frame(0).CopyTo(clip.Frame(0));
        for (int t = 1; t < clip.Frames; t++)
            PixelMath.AddClamped(clip.Frame(t - 1), diffs.Frame(t - 1), clip.Frame(t));
        return clip;
    }
}
