using Decoupled.Video;

namespace Decoupled.Tests.Decompositions;

/// <summary>Synthetic clips for the decomposition tests, deterministic from a seed.</summary>
internal static class TestClips
{
    /// <summary>Uniform random bytes: no motion structure at all.</summary>
    public static VideoClip Random(int frames, int height, int width, int seed)
    {
        var pixels = new byte[frames * height * width * 3];
        new Random(seed).NextBytes(pixels);
        return new VideoClip(frames, height, width, pixels);
    }

    /// <summary>
    /// A smooth but distinctive texture of size <paramref name="height"/> x <paramref name="width"/>:
    /// sums of sines plus a little noise, so every 16x16 patch is unique and SAD has one clear minimum.
    /// </summary>
    public static byte[] Texture(int height, int width, int seed)
    {
        var rng = new Random(seed);
        var img = new byte[height * width * 3];
        double fx1 = 0.21 + rng.NextDouble() * 0.1, fy1 = 0.17 + rng.NextDouble() * 0.1;
        double fx2 = 0.05 + rng.NextDouble() * 0.05, fy2 = 0.33 + rng.NextDouble() * 0.05;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                {
                    double v = 128 + 50 * Math.Sin(fx1 * x * (c + 1) + fy1 * y) + 40 * Math.Cos(fx2 * x + fy2 * y * (c + 1) + c)
                               + rng.Next(-20, 21);
                    img[(y * width + x) * 3 + c] = (byte)Math.Clamp((int)v, 0, 255);
                }
        return img;
    }

    /// <summary>
    /// A large texture seen through a window that moves by (<paramref name="dx"/>, <paramref name="dy"/>)
    /// per frame, so frame n at (x, y) equals frame n-1 at (x+dx, y+dy): the exact motion vector
    /// (dx, dy) in this toolkit's sign convention.
    /// </summary>
    public static VideoClip GlobalTranslation(int frames, int height, int width, int dx, int dy, int seed)
    {
        int margin = frames * (Math.Abs(dx) + Math.Abs(dy)) + 1;
        int bigH = height + 2 * margin, bigW = width + 2 * margin;
        var big = Texture(bigH, bigW, seed);
        var clip = new VideoClip(frames, height, width);
        for (int t = 0; t < frames; t++)
        {
            int ox = margin + t * dx, oy = margin + t * dy;
            for (int y = 0; y < height; y++)
                big.AsSpan(((oy + y) * bigW + ox) * 3, width * 3).CopyTo(clip.Frame(t).Slice(y * width * 3, width * 3));
        }
        return clip;
    }

    /// <summary>
    /// A static textured background with a flat square of side <paramref name="size"/> and colour
    /// (r, g, b) whose top-left corner is at (x0 + t*vx, y0 + t*vy) in frame t.
    /// </summary>
    public static VideoClip MovingSquare(int frames, int height, int width, int size, int x0, int y0, int vx, int vy,
        (byte R, byte G, byte B) colour, int seed, byte backgroundMean = 0)
    {
        var background = Texture(height, width, seed);
        if (backgroundMean != 0)
            for (int i = 0; i < background.Length; i++) background[i] = (byte)(backgroundMean + background[i] / 16);
        var clip = new VideoClip(frames, height, width);
        for (int t = 0; t < frames; t++)
        {
            background.CopyTo(clip.Frame(t));
            for (int y = y0 + t * vy; y < y0 + t * vy + size; y++)
                for (int x = x0 + t * vx; x < x0 + t * vx + size; x++)
                {
                    if ((uint)y >= height || (uint)x >= width) continue;
                    clip[t, y, x, 0] = colour.R;
                    clip[t, y, x, 1] = colour.G;
                    clip[t, y, x, 2] = colour.B;
                }
        }
        return clip;
    }
}
