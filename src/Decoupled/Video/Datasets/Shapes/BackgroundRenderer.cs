namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// Draws one static background frame for a texture. Layout (phase, period, orientation, noise)
/// varies with the seed; the two colours are fixed per texture and kept subdued and near-grey,
/// at least ~135 RGB units from every object colour.
/// </summary>
public static class BackgroundRenderer
{
    private static readonly byte[][] Palettes =
    [
        [72, 60, 50, 104, 92, 78],    // stripes: brown
        [52, 60, 74, 84, 92, 108],    // checker: slate
        [44, 58, 48, 82, 94, 80],     // noise: moss
        [36, 34, 44, 112, 106, 120],  // gradient: grey-violet
    ];

    /// <summary>The two colours (RGB, RGB) a texture blends between.</summary>
    public static ReadOnlySpan<byte> Palette(BackgroundTexture texture) => Palettes[(int)texture];

    /// <summary>Renders a <paramref name="height"/> x <paramref name="width"/> frame, <c>[H, W, 3]</c> bytes.</summary>
    public static byte[] Render(BackgroundTexture texture, int height, int width, ulong seed)
    {
        ShapesDatasetOptions.ValidateClipSize(2, height, width);
        var rng = new SplitMix64(seed);
        var mix = texture switch
        {
            BackgroundTexture.Stripes => Stripes(height, width, rng),
            BackgroundTexture.Checker => Checker(height, width, rng),
            BackgroundTexture.Noise => ValueNoise(height, width, rng),
            BackgroundTexture.Gradient => Gradient(height, width, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(texture), $"unknown texture {texture}"),
        };
        var palette = Palettes[(int)texture];
        var frame = new byte[height * width * 3];
        for (var i = 0; i < mix.Length; i++)
            for (var c = 0; c < 3; c++)
                frame[i * 3 + c] = ToByte(palette[c] + (palette[c + 3] - palette[c]) * mix[i]);
        return frame;
    }

    internal static byte ToByte(double v) => (byte)Math.Clamp((int)(v + 0.5), 0, 255);

    private static double[] Stripes(int height, int width, SplitMix64 rng)
    {
        // Four orientations: horizontal, vertical and the two diagonals.
        ReadOnlySpan<double> directions = [1, 0, 0, 1, 0.70710678118654752, 0.70710678118654752, 0.70710678118654752, -0.70710678118654752];
        var o = rng.NextInt(4);
        var (ux, uy) = (directions[2 * o], directions[2 * o + 1]);
        var period = Math.Max(4, Math.Min(height, width) * rng.Uniform(0.12, 0.22));
        var phase = rng.NextDouble();
        var mix = new double[height * width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var p = (x * ux + y * uy) / period + phase;
                mix[y * width + x] = p - Math.Floor(p) < 0.5 ? 0 : 1;
            }
        return mix;
    }

    private static double[] Checker(int height, int width, SplitMix64 rng)
    {
        var cell = Math.Max(3, Math.Min(height, width) * rng.Uniform(0.1, 0.18));
        var ox = rng.Uniform(0, 2 * cell);
        var oy = rng.Uniform(0, 2 * cell);
        var mix = new double[height * width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var parity = (long)Math.Floor((x + ox) / cell) + (long)Math.Floor((y + oy) / cell);
                mix[y * width + x] = (parity & 1) == 0 ? 0 : 1;
            }
        return mix;
    }

    private static double[] ValueNoise(int height, int width, SplitMix64 rng)
    {
        // Random values on a coarse lattice, smoothly interpolated: soft blobs.
        var cell = Math.Max(4, Math.Min(height, width) * rng.Uniform(0.18, 0.3));
        var gw = (int)(width / cell) + 2;
        var gh = (int)(height / cell) + 2;
        var lattice = new double[gw * gh];
        for (var i = 0; i < lattice.Length; i++) lattice[i] = rng.NextDouble();
        var mix = new double[height * width];
        for (var y = 0; y < height; y++)
        {
            var fy = y / cell;
            var iy = (int)fy;
            var ty = Smooth(fy - iy);
            for (var x = 0; x < width; x++)
            {
                var fx = x / cell;
                var ix = (int)fx;
                var tx = Smooth(fx - ix);
                var top = Lerp(lattice[iy * gw + ix], lattice[iy * gw + ix + 1], tx);
                var bottom = Lerp(lattice[(iy + 1) * gw + ix], lattice[(iy + 1) * gw + ix + 1], tx);
                mix[y * width + x] = Lerp(top, bottom, ty);
            }
        }
        return mix;
    }

    private static double[] Gradient(int height, int width, SplitMix64 rng)
    {
        double ux, uy, norm;
        do
        {
            ux = rng.Uniform(-1, 1);
            uy = rng.Uniform(-1, 1);
            norm = Math.Sqrt(ux * ux + uy * uy);
        } while (norm < 0.25 || norm > 1);
        ux /= norm;
        uy /= norm;
        // Normalise the projection over the four corners so the full colour range is used.
        var lo = Math.Min(0, ux * (width - 1)) + Math.Min(0, uy * (height - 1));
        var hi = Math.Max(0, ux * (width - 1)) + Math.Max(0, uy * (height - 1));
        var mix = new double[height * width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                mix[y * width + x] = (x * ux + y * uy - lo) / (hi - lo);
        return mix;
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
