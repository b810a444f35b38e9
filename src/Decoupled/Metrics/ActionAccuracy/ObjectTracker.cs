using Decoupled.Video;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// Finds the single salient object in every frame of a shapes-style clip without any learning:
/// (1) learn the background colours from the frame border; (2) take the most common colour far
/// from all of them as the object colour; (3) in each frame, mark pixels closer to the object
/// colour than to the background, and measure the centroid and area of the compact blob they
/// form. Colour distances (not exact values) make it tolerant to noise, blur and colour drift.
/// </summary>
public static class ObjectTracker
{
    /// <summary>Object colours must stand at least this far (RGB units) from the background.</summary>
    public const double MinContrast = 40;

    /// <summary>Candidate object pixels must exceed this many times the background's own spread.</summary>
    public const double SpreadFactor = 3;

    /// <summary>A blob whose area is below this fraction of a same-spread disc is scatter, not an object.</summary>
    public const double MinCompactness = 0.25;

    /// <summary>Tracks the object through <paramref name="clip"/>.</summary>
    public static ObjectTrack Track(VideoClip clip)
    {
        var palette = BackgroundPalette.FromBorder(clip);
        var threshold = Math.Max(MinContrast, SpreadFactor * palette.Spread);
        var backgroundDistance = BackgroundDistances(clip, palette);
        var colour = ObjectColour(clip, backgroundDistance, threshold);
        if (colour is null)
            return new ObjectTrack(clip.Height, clip.Width, Enumerable.Repeat(ObjectObservation.Missing, clip.Frames).ToArray(), null);

        var observations = new ObjectObservation[clip.Frames];
        var mask = new bool[clip.Height * clip.Width];
        for (var t = 0; t < clip.Frames; t++)
        {
            Segment(clip, t, colour.Value, backgroundDistance, mask);
            observations[t] = Measure(mask, clip.Height, clip.Width);
        }
        return new ObjectTrack(clip.Height, clip.Width, observations, colour);
    }

    private static float[] BackgroundDistances(VideoClip clip, BackgroundPalette palette)
    {
        var px = clip.Pixels;
        var distances = new float[px.Length / 3];
        Parallel.For(0, clip.Frames, t =>
        {
            var start = t * clip.Height * clip.Width;
            for (var i = start; i < start + clip.Height * clip.Width; i++)
                distances[i] = palette.Distance(px[3 * i], px[3 * i + 1], px[3 * i + 2]);
        });
        return distances;
    }

    /// <summary>
    /// The object colour: the fullest 16-level colour cell among the pixels that stand out from
    /// the background, refined to the mean of the standouts near it. Null when too few stand out.
    /// </summary>
    private static (byte R, byte G, byte B)? ObjectColour(VideoClip clip, float[] backgroundDistance, double threshold)
    {
        var px = clip.Pixels;
        var cells = new int[16 * 16 * 16];
        var standouts = 0;
        for (var i = 0; i < backgroundDistance.Length; i++)
        {
            if (backgroundDistance[i] <= threshold) continue;
            cells[(px[3 * i] >> 4) << 8 | (px[3 * i + 1] >> 4) << 4 | px[3 * i + 2] >> 4]++;
            standouts++;
        }
        if (standouts < Math.Max(4, clip.Frames)) return null;

        // Sum each cell with its neighbours so a colour that straddles a cell edge is not split.
        var best = 0;
        var bestCount = -1;
        for (var cell = 0; cell < cells.Length; cell++)
        {
            if (cells[cell] == 0) continue;
            var count = NeighbourhoodCount(cells, cell);
            if (count > bestCount)
            {
                bestCount = count;
                best = cell;
            }
        }
        var (cr, cg, cb) = ((best >> 8) * 16 + 8, ((best >> 4) & 15) * 16 + 8, (best & 15) * 16 + 8);

        double sr = 0, sg = 0, sb = 0;
        var n = 0;
        for (var i = 0; i < backgroundDistance.Length; i++)
        {
            if (backgroundDistance[i] <= threshold) continue;
            int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
            if ((r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb) > 40 * 40) continue;
            sr += r;
            sg += g;
            sb += b;
            n++;
        }
        return ((byte)Math.Round(sr / n), (byte)Math.Round(sg / n), (byte)Math.Round(sb / n));
    }

    private static int NeighbourhoodCount(int[] cells, int cell)
    {
        int r = cell >> 8, g = (cell >> 4) & 15, b = cell & 15, sum = 0;
        for (var i = Math.Max(0, r - 1); i <= Math.Min(15, r + 1); i++)
            for (var j = Math.Max(0, g - 1); j <= Math.Min(15, g + 1); j++)
                for (var k = Math.Max(0, b - 1); k <= Math.Min(15, b + 1); k++)
                    sum += cells[i << 8 | j << 4 | k];
        return sum;
    }

    /// <summary>Object pixels of frame <paramref name="t"/>: nearer the object colour than any background colour.</summary>
    private static void Segment(VideoClip clip, int t, (byte R, byte G, byte B) colour, float[] backgroundDistance, bool[] mask)
    {
        var px = clip.Pixels;
        var start = t * mask.Length;
        for (var i = 0; i < mask.Length; i++)
        {
            var p = 3 * (start + i);
            float dr = px[p] - colour.R, dg = px[p + 1] - colour.G, db = px[p + 2] - colour.B;
            mask[i] = MathF.Sqrt(dr * dr + dg * dg + db * db) < backgroundDistance[start + i];
        }
    }

    /// <summary>
    /// Centroid and area of the main blob: a first centroid over all marked pixels, then twice
    /// re-centred on the marked pixels within twice the blob's radius, which drops stray specks.
    /// </summary>
    private static ObjectObservation Measure(bool[] mask, int height, int width)
    {
        var (count, cx, cy, spread) = Moments(mask, height, width, 0, 0, double.PositiveInfinity);
        for (var pass = 0; pass < 2 && count > 0; pass++)
        {
            var radius = 2 * Math.Sqrt(count / Math.PI) + 2;
            (count, cx, cy, spread) = Moments(mask, height, width, cx, cy, radius);
        }
        if (count < 2) return ObjectObservation.Missing;
        // Area of the blob relative to a disc with the same second moment: ~1 for any solid shape.
        var compactness = count / (2 * Math.PI * spread + 1);
        return compactness < MinCompactness ? ObjectObservation.Missing : new ObjectObservation(true, cx, cy, count);
    }

    private static (int Count, double X, double Y, double Spread) Moments(bool[] mask, int height, int width, double cx, double cy, double radius)
    {
        long n = 0;
        double sx = 0, sy = 0, sxx = 0, syy = 0;
        var r2 = radius * radius;
        var (y0, y1, x0, x1) = double.IsPositiveInfinity(radius)
            ? (0, height - 1, 0, width - 1)
            : (Math.Max(0, (int)(cy - radius)), Math.Min(height - 1, (int)(cy + radius) + 1),
               Math.Max(0, (int)(cx - radius)), Math.Min(width - 1, (int)(cx + radius) + 1));
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
            {
                if (!mask[y * width + x]) continue;
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > r2) continue;
                n++;
                sx += x;
                sy += y;
                sxx += (double)x * x;
                syy += (double)y * y;
            }
        if (n == 0) return (0, 0, 0, 0);
        double mx = sx / n, my = sy / n;
        return ((int)n, mx, my, sxx / n - mx * mx + syy / n - my * my);
    }
}
