using Decoupled.Video;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Training clips whose frames stop changing after a random frame, the rest repeating it.
/// <para>
/// Not in the paper. The motion encoder reads frame differences, so a still object gives the
/// same motion tokens as no object at all; when the object always moves in the training data,
/// the decoder learns to draw it only where the motion tokens mark change, and a prediction
/// whose motion tokens say "still" (a transformer's likely guess when it is unsure) decodes to
/// the empty scene. Clips with a still tail, shaped like a prediction's pseudo video
/// (equation 10: the given frames, then the last one repeated), teach the object tokens to draw
/// a still object.
/// </para>
/// </summary>
public static class MosoStillTail
{
    /// <summary>
    /// A copy of <paramref name="clip"/> in which every frame after <paramref name="lastMoving"/>
    /// repeats frame <paramref name="lastMoving"/> (0: the whole clip is its first frame).
    /// </summary>
    public static VideoClip Freeze(VideoClip clip, int lastMoving)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentOutOfRangeException.ThrowIfNegative(lastMoving);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lastMoving, clip.Frames);
        var frozen = clip.Clone();
        var still = clip.Frame(lastMoving);
        for (int t = lastMoving + 1; t < clip.Frames; t++) still.CopyTo(frozen.Frame(t));
        return frozen;
    }

    /// <summary>
    /// With probability <paramref name="fraction"/>, <paramref name="clip"/> frozen after a frame
    /// drawn uniformly from 0 .. frames-2 (so at least the last frame repeats); otherwise the clip
    /// itself. Draws the same two numbers from <paramref name="random"/> either way, so the
    /// choices of later clips do not depend on this one's.
    /// </summary>
    public static VideoClip Draw(VideoClip clip, double fraction, Random random)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(random);
        if (fraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a share in [0, 1]");
        double chance = random.NextDouble();
        int lastMoving = random.Next(0, Math.Max(1, clip.Frames - 1));
        return chance < fraction && clip.Frames > 1 ? Freeze(clip, lastMoving) : clip;
    }
}
