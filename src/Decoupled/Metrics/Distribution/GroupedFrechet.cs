namespace Decoupled.Metrics.Distribution;

/// <summary>
/// Frechet distance within groups, averaged over groups: cFVD groups real and generated videos by
/// class label (is each class's motion right, not just the overall mix?), sFVD by subject, i.e. the
/// first frame or identity the video was generated from (does each subject move plausibly?). A
/// group is scored only if both sides hold at least <c>minRows</c> (default 2, the fewest for a
/// covariance) feature vectors; the others are listed as skipped rather than silently dropped.
/// </summary>
public static class GroupedFrechet
{
    /// <summary>The fewest rows per side for a group to be scored by default.</summary>
    public const int DefaultMinRows = 2;

    /// <summary>
    /// Per-group Frechet distances between <paramref name="real"/> and <paramref name="fake"/>, whose
    /// rows are labelled by <paramref name="realKeys"/> and <paramref name="fakeKeys"/> (one key per row).
    /// Throws if no group qualifies. Covariances by <paramref name="estimator"/>.
    /// </summary>
    public static GroupedFrechetResult<TKey> Compute<TKey>(FeatureMatrix real, IReadOnlyList<TKey> realKeys,
        FeatureMatrix fake, IReadOnlyList<TKey> fakeKeys, int minRows = DefaultMinRows,
        CovarianceEstimator estimator = CovarianceEstimator.Unbiased) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(realKeys);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(fakeKeys);
        if (realKeys.Count != real.Rows)
            throw new ArgumentException($"real features have {real.Rows} rows but {realKeys.Count} group keys");
        if (fakeKeys.Count != fake.Rows)
            throw new ArgumentException($"fake features have {fake.Rows} rows but {fakeKeys.Count} group keys");
        if (real.Columns != fake.Columns)
            throw new ArgumentException($"feature dimensions differ: real has {real.Columns}, fake has {fake.Columns}");
        if (minRows < 2) throw new ArgumentException($"a group needs at least 2 rows per side for a covariance, got minRows = {minRows}");

        var realRows = RowsByKey(realKeys);
        var fakeRows = RowsByKey(fakeKeys);
        var groups = new List<GroupFrechet<TKey>>();
        var skipped = new List<TKey>();
        foreach (var (key, rows) in realRows)
        {
            if (rows.Count < minRows || !fakeRows.TryGetValue(key, out var other) || other.Count < minRows)
            {
                skipped.Add(key);
                continue;
            }
            double distance = FrechetDistance.FromFeatures(real.SelectRows(rows), fake.SelectRows(other), estimator);
            groups.Add(new GroupFrechet<TKey>(key, distance, rows.Count, other.Count));
        }
        foreach (var key in fakeRows.Keys)
            if (!realRows.ContainsKey(key)) skipped.Add(key);
        if (groups.Count == 0)
            throw new ArgumentException($"no group has at least {minRows} real and {minRows} fake rows ({skipped.Count} groups seen); grouped Frechet distance needs one");
        return new GroupedFrechetResult<TKey>(MetricSummary.Of(groups.Select(g => g.Distance).ToList()), groups, skipped);
    }

    /// <summary>Row indices per key, keys in order of first appearance (so results are reproducible).</summary>
    private static OrderedDictionary<TKey, List<int>> RowsByKey<TKey>(IReadOnlyList<TKey> keys) where TKey : notnull
    {
        var result = new OrderedDictionary<TKey, List<int>>();
        for (int i = 0; i < keys.Count; i++)
        {
            var key = keys[i] ?? throw new ArgumentException($"group key of row {i} is null");
            if (!result.TryGetValue(key, out var rows)) result.Add(key, rows = new List<int>());
            rows.Add(i);
        }
        return result;
    }
}
