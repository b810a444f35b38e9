using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Shapes;

/// <summary>The kinds of damage generated videos show, applied to copies of clean clips.</summary>
internal static class ClipDamage
{
    public static VideoClip AddGaussianNoise(VideoClip clip, double sigma, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var result = clip.Clone();
        var px = result.Pixels;
        for (var i = 0; i < px.Length; i++) px[i] = Clamp(px[i] + sigma * rng.NextGaussian());
        return result;
    }

    /// <summary>3x3 box blur of every frame (edges average the pixels that exist).</summary>
    public static VideoClip Blur(VideoClip clip)
    {
        var result = clip.Clone();
        for (var t = 0; t < clip.Frames; t++)
            for (var y = 0; y < clip.Height; y++)
                for (var x = 0; x < clip.Width; x++)
                    for (var c = 0; c < 3; c++)
                    {
                        int sum = 0, n = 0;
                        for (var yy = Math.Max(0, y - 1); yy <= Math.Min(clip.Height - 1, y + 1); yy++)
                            for (var xx = Math.Max(0, x - 1); xx <= Math.Min(clip.Width - 1, x + 1); xx++)
                            {
                                sum += clip[t, yy, xx, c];
                                n++;
                            }
                        result[t, y, x, c] = (byte)((sum + n / 2) / n);
                    }
        return result;
    }

    /// <summary>Adds a constant to each channel (a colour cast).</summary>
    public static VideoClip ShiftColour(VideoClip clip, int dr, int dg, int db)
    {
        var result = clip.Clone();
        var px = result.Pixels;
        for (var i = 0; i < px.Length; i += 3)
        {
            px[i] = Clamp(px[i] + dr);
            px[i + 1] = Clamp(px[i + 1] + dg);
            px[i + 2] = Clamp(px[i + 2] + db);
        }
        return result;
    }

    public static VideoClip Reverse(VideoClip clip)
    {
        var result = clip.Clone();
        for (var t = 0; t < clip.Frames; t++) clip.Frame(clip.Frames - 1 - t).CopyTo(result.Frame(t));
        return result;
    }

    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
}
