namespace Decoupled.Metrics.Distribution;

/// <summary>The outcome of <see cref="GroupedFrechet.Compute{TKey}"/>.</summary>
/// <param name="Summary">Mean and (population) standard deviation of the per-group distances; N is the number of groups scored. The mean is the reported cFVD / sFVD.</param>
/// <param name="Groups">Every scored group, in order of first appearance in the real set.</param>
/// <param name="Skipped">Keys seen on either side that were not scored because one side had too few rows, in order of first appearance (real set first).</param>
public sealed record GroupedFrechetResult<TKey>(MetricSummary Summary, IReadOnlyList<GroupFrechet<TKey>> Groups, IReadOnlyList<TKey> Skipped) where TKey : notnull;
