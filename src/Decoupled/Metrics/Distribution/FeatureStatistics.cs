using static TorchSharp.torch;

namespace Decoupled.Metrics.Distribution;

/// <summary>
/// The Gaussian summary of a feature set that the Frechet distance compares: the mean vector and
/// the unbiased (N-1) covariance, exactly <c>numpy.mean(x, 0)</c> and <c>numpy.cov(x, rowvar=False)</c>
/// as pytorch-fid and StyleGAN-V compute them, in float64. Real-data statistics can be computed once
/// and reused against many generated sets.
/// </summary>
public sealed class FeatureStatistics
{
    /// <summary>
    /// Statistics computed elsewhere (for example the real-data mean and covariance that a paper's
    /// code released), checked for matching sizes; the arrays are kept, not copied.
    /// </summary>
    /// <param name="mean">Mean feature vector, length d.</param>
    /// <param name="covariance">Covariance, d x d, symmetric.</param>
    /// <param name="count">Number of feature vectors they summarize.</param>
    public FeatureStatistics(double[] mean, double[,] covariance, int count)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        if (mean.Length == 0) throw new ArgumentException("the mean vector is empty");
        if (covariance.GetLength(0) != mean.Length || covariance.GetLength(1) != mean.Length)
            throw new ArgumentException($"covariance is {covariance.GetLength(0)}x{covariance.GetLength(1)} but the mean has {mean.Length} dimensions");
        Mean = mean;
        Covariance = covariance;
        Count = count;
    }

    /// <summary>Mean feature vector, length d.</summary>
    public double[] Mean { get; }

    /// <summary>Unbiased covariance, d x d, symmetric.</summary>
    public double[,] Covariance { get; }

    /// <summary>Number of feature vectors these statistics summarize.</summary>
    public int Count { get; }

    /// <summary>Feature dimension d.</summary>
    public int Dimension => Mean.Length;

    /// <summary>Mean and covariance of <paramref name="features"/> (<c>[N, d]</c>, N at least 2); unbiased (N - 1) unless <paramref name="estimator"/> says otherwise.</summary>
    public static FeatureStatistics Compute(FeatureMatrix features, CovarianceEstimator estimator = CovarianceEstimator.Unbiased)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rows < 2)
            throw new ArgumentException($"a covariance needs at least 2 feature vectors, got {features.Rows}");
        using var scope = NewDisposeScope();
        var x = features.ToTensor();
        var mean = x.mean(new long[] { 0 });
        var centered = x - mean;
        // One float64 matrix product (BLAS): the same arithmetic as numpy.cov, fast for FID's 2048 dims.
        var covariance = centered.t().mm(centered) / (estimator == CovarianceEstimator.Population ? features.Rows : features.Rows - 1);
        // The product is symmetric in exact arithmetic; symmetrize so that rounding in the BLAS
        // kernel cannot make S and S^T differ in the eigendecompositions that follow.
        covariance = (covariance + covariance.t()) / 2;
        return new FeatureStatistics(mean.data<double>().ToArray(), ToMatrix(covariance, features.Columns), features.Rows);
    }

    /// <summary>A new float64 CPU tensor holding <see cref="Covariance"/> (caller disposes it).</summary>
    internal Tensor CovarianceTensor()
    {
        int d = Dimension;
        var flat = new double[(long)d * d];
        Buffer.BlockCopy(Covariance, 0, flat, 0, flat.Length * sizeof(double));
        return tensor(flat, new long[] { d, d }, ScalarType.Float64);
    }

    private static double[,] ToMatrix(Tensor square, int d)
    {
        var flat = square.contiguous().data<double>().ToArray();
        var result = new double[d, d];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
