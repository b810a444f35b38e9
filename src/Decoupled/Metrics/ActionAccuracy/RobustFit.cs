using System.Runtime.InteropServices;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>Outlier-resistant statistics for short per-frame series (a frame or two can be wrong in a generated clip).</summary>
public static class RobustFit
{
    /// <summary>Median of <paramref name="values"/> (mean of the middle two for an even count); NaN when empty.</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return double.NaN;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /// <summary>
    /// Theil-Sen slope of <paramref name="values"/> against <paramref name="times"/>: the median of
    /// the slopes between every pair of points, which ignores up to ~29% of wild points. Zero when
    /// fewer than two distinct times are given.
    /// </summary>
    public static double TheilSenSlope(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        if (times.Length != values.Length)
            throw new ArgumentException($"{times.Length} times but {values.Length} values", nameof(values));
        var slopes = new List<double>(times.Length * (times.Length - 1) / 2);
        for (var i = 0; i < times.Length; i++)
            for (var j = i + 1; j < times.Length; j++)
                if (times[j] != times[i]) slopes.Add((values[j] - values[i]) / (times[j] - times[i]));
        return slopes.Count == 0 ? 0 : Median(CollectionsMarshal.AsSpan(slopes));
    }

    /// <summary>Running median over a window of three (the ends keep their values): removes single-frame spikes.</summary>
    public static double[] Median3(ReadOnlySpan<double> values)
    {
        var result = values.ToArray();
        for (var i = 1; i + 1 < values.Length; i++)
        {
            double a = values[i - 1], b = values[i], c = values[i + 1];
            result[i] = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
        }
        return result;
    }
}
