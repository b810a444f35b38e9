namespace Decoupled.Metrics;

/// <summary>One metric over a set of items: mean, (population) standard deviation and count, as every report writes it.</summary>
/// <param name="Mean">Mean over the items.</param>
/// <param name="Std">Standard deviation over the items (0 for one item).</param>
/// <param name="N">Number of items.</param>
public sealed record MetricSummary(double Mean, double Std, int N)
{
    /// <summary>The summary of <paramref name="values"/> (at least one).</summary>
    public static MetricSummary Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("a metric needs at least one value", nameof(values));
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        return new MetricSummary(mean, Math.Sqrt(variance), values.Count);
    }
}
