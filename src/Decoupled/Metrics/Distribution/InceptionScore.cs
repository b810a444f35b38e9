namespace Decoupled.Metrics.Distribution;

/// <summary>
/// Inception Score (Salimans et al. 2016) from a classifier's predictions on generated samples
/// (Inception-v3 for images; C3D on UCF-101 for videos, as in TGAN / StyleGAN-V):
/// <c>IS = exp(E_x KL(p(y|x) || p(y)))</c>, with p(y) the mean prediction of the split. The samples
/// are cut into <c>splits</c> consecutive parts (boundaries <c>i N / splits</c>, as improved-GAN and
/// StyleGAN2-ADA cut them, default 10), IS is computed per part, and mean and (population) standard
/// deviation over the parts are reported. Higher is better; it lies between 1 (every prediction
/// the same) and the number of classes (confident predictions spread evenly over all classes).
/// </summary>
public static class InceptionScore
{
    /// <summary>The standard number of splits.</summary>
    public const int DefaultSplits = 10;

    /// <summary>Tolerance on each row's sum: float32 softmax outputs sum to 1 within about 1e-6.</summary>
    private const double RowSumTolerance = 1e-3;

    /// <summary>IS mean and standard deviation over splits, from class probabilities <c>[N, classes]</c> (rows sum to 1).</summary>
    public static MetricSummary FromProbabilities(FeatureMatrix probabilities, int splits = DefaultSplits) =>
        MetricSummary.Of(SplitScores(probabilities, splits));

    /// <summary>IS mean and standard deviation over splits, from classifier logits <c>[N, classes]</c> (softmax applied here).</summary>
    public static MetricSummary FromLogits(FeatureMatrix logits, int splits = DefaultSplits) =>
        MetricSummary.Of(SplitScores(Softmax(logits), splits));

    /// <summary>The IS of each split, in order, from class probabilities <c>[N, classes]</c>.</summary>
    public static double[] SplitScores(FeatureMatrix probabilities, int splits = DefaultSplits)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        int n = probabilities.Rows, classes = probabilities.Columns;
        if (splits < 1) throw new ArgumentException($"Inception Score needs at least 1 split, got {splits}");
        if (n < splits) throw new ArgumentException($"Inception Score with {splits} splits needs at least {splits} samples, got {n}");
        CheckProbabilities(probabilities);
        var scores = new double[splits];
        var marginal = new double[classes];
        for (int s = 0; s < splits; s++)
        {
            int start = (int)((long)s * n / splits), end = (int)((long)(s + 1) * n / splits);
            Array.Clear(marginal);
            for (int i = start; i < end; i++)
                for (int c = 0; c < classes; c++) marginal[c] += probabilities[i, c];
            for (int c = 0; c < classes; c++) marginal[c] /= end - start;
            double klSum = 0;
            for (int i = start; i < end; i++)
                for (int c = 0; c < classes; c++)
                {
                    double p = probabilities[i, c];
                    // 0 log 0 = 0 (the limit, scipy's entropy/xlogy): one-hot predictions are valid
                    // input, and numpy's plain log would turn them into NaN.
                    if (p > 0) klSum += p * (Math.Log(p) - Math.Log(marginal[c]));
                }
            scores[s] = Math.Exp(klSum / (end - start));
        }
        return scores;
    }

    /// <summary>Row-wise softmax in float64, shifted by the row maximum so large logits do not overflow.</summary>
    private static double[][] Softmax(FeatureMatrix logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var result = new double[logits.Rows][];
        for (int i = 0; i < logits.Rows; i++)
        {
            var row = logits.Row(i);
            double max = row.Max(), sum = 0;
            for (int c = 0; c < row.Length; c++) sum += row[c] = Math.Exp(row[c] - max);
            for (int c = 0; c < row.Length; c++) row[c] /= sum;
            result[i] = row;
        }
        return result;
    }

    private static void CheckProbabilities(FeatureMatrix p)
    {
        for (int i = 0; i < p.Rows; i++)
        {
            double sum = 0;
            for (int c = 0; c < p.Columns; c++)
            {
                if (p[i, c] < 0) throw new ArgumentException($"probability row {i} has a negative entry {p[i, c]} at class {c}; pass logits to FromLogits instead");
                sum += p[i, c];
            }
            if (Math.Abs(sum - 1) > RowSumTolerance)
                throw new ArgumentException($"probability row {i} sums to {sum}, not 1; pass logits to FromLogits instead");
        }
    }
}
