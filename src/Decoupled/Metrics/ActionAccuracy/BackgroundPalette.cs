using Decoupled.Video;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// A few prototype colours that describe the background, learnt (k-means) from the pixels on the
/// frame border, where the object almost never is. Any colour far from every prototype is a
/// candidate object colour, whatever the texture.
/// </summary>
internal sealed class BackgroundPalette
{
    private const int Prototypes = 8;
    private const int MaxSamples = 8192;
    private const int Iterations = 12;
    private const int BorderWidth = 2;

    private readonly float[] _prototypes;

    private BackgroundPalette(float[] prototypes, double spread)
    {
        _prototypes = prototypes;
        Spread = spread;
    }

    /// <summary>95th percentile of the border pixels' distance to their prototype: how much the background itself varies.</summary>
    public double Spread { get; }

    /// <summary>Learns the palette from the border of every frame of <paramref name="clip"/>.</summary>
    public static BackgroundPalette FromBorder(VideoClip clip)
    {
        var samples = BorderSamples(clip);
        var prototypes = KMeans(samples);
        var distances = new float[samples.Length / 3];
        var palette = new BackgroundPalette(prototypes, 0);
        for (var i = 0; i < distances.Length; i++)
            distances[i] = palette.Distance(samples[3 * i], samples[3 * i + 1], samples[3 * i + 2]);
        Array.Sort(distances);
        return new BackgroundPalette(prototypes, distances[(int)(0.95 * (distances.Length - 1))]);
    }

    /// <summary>Euclidean RGB distance from a colour to the nearest prototype.</summary>
    public float Distance(float r, float g, float b)
    {
        var best = float.MaxValue;
        var p = _prototypes;
        for (var k = 0; k < p.Length; k += 3)
        {
            float dr = r - p[k], dg = g - p[k + 1], db = b - p[k + 2];
            best = Math.Min(best, dr * dr + dg * dg + db * db);
        }
        return MathF.Sqrt(best);
    }

    private static float[] BorderSamples(VideoClip clip)
    {
        int h = clip.Height, w = clip.Width;
        var ring = new List<int>();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                if (y < BorderWidth || y >= h - BorderWidth || x < BorderWidth || x >= w - BorderWidth) ring.Add(y * w + x);
        // Spread the budget evenly over frames, shifting the start each frame so that together
        // the frames cover the whole ring.
        var perFrame = Math.Max(1, MaxSamples / clip.Frames);
        var stride = Math.Max(1, (ring.Count + perFrame - 1) / perFrame);
        var samples = new List<float>();
        var px = clip.Pixels;
        for (var t = 0; t < clip.Frames; t++)
            for (var j = t % stride; j < ring.Count; j += stride)
            {
                var i = ((long)t * h * w + ring[j]) * 3;
                samples.Add(px[i]);
                samples.Add(px[i + 1]);
                samples.Add(px[i + 2]);
            }
        return samples.ToArray();
    }

    private static float[] KMeans(float[] samples)
    {
        var n = samples.Length / 3;
        // Start from brightness quantiles: deterministic, and a handful of stray object pixels on
        // the border cannot claim a prototype the way farthest-point seeding would let them.
        var order = Enumerable.Range(0, n).OrderBy(i => samples[3 * i] + samples[3 * i + 1] + samples[3 * i + 2]).ToArray();
        var k = Math.Min(Prototypes, n);
        var protos = new float[3 * k];
        for (var j = 0; j < k; j++)
        {
            var s = order[(int)((j + 0.5) * n / k)];
            protos[3 * j] = samples[3 * s];
            protos[3 * j + 1] = samples[3 * s + 1];
            protos[3 * j + 2] = samples[3 * s + 2];
        }

        var sums = new double[3 * k];
        var counts = new int[k];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < n; i++)
            {
                var c = Nearest(protos, samples[3 * i], samples[3 * i + 1], samples[3 * i + 2]);
                counts[c]++;
                sums[3 * c] += samples[3 * i];
                sums[3 * c + 1] += samples[3 * i + 1];
                sums[3 * c + 2] += samples[3 * i + 2];
            }
            for (var j = 0; j < k; j++)
                if (counts[j] > 0)
                    for (var c = 0; c < 3; c++) protos[3 * j + c] = (float)(sums[3 * j + c] / counts[j]);
        }

        // Prototypes that hold almost no border pixels describe intruders (the object touching
        // the edge), not the background: drop them.
        var kept = new List<float>();
        for (var j = 0; j < k; j++)
            if (counts[j] >= 0.02 * n) kept.AddRange(protos.AsSpan(3 * j, 3));
        return kept.Count > 0 ? kept.ToArray() : protos;
    }

    private static int Nearest(float[] protos, float r, float g, float b)
    {
        var best = 0;
        var bestDistance = float.MaxValue;
        for (var j = 0; j < protos.Length / 3; j++)
        {
            float dr = r - protos[3 * j], dg = g - protos[3 * j + 1], db = b - protos[3 * j + 2];
            var d = dr * dr + dg * dg + db * db;
            if (d < bestDistance)
            {
                bestDistance = d;
                best = j;
            }
        }
        return best;
    }
}
