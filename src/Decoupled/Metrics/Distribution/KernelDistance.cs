using Decoupled.Runtime;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Distribution;

/// <summary>
/// Kernel distance: KID for images (Binkowski et al. 2018, "Demystifying MMD GANs") and KVD for
/// videos (as in StyleGAN-V), the unbiased squared maximum mean discrepancy between two feature
/// sets under the cubic polynomial kernel <c>k(x, y) = (x.y / d + 1)^3</c>, d the feature dimension.
/// Unlike the Frechet distance it assumes no Gaussian shape and its estimator is unbiased, so it is
/// comparable across sample sizes; being unbiased, it can come out slightly below 0 when the two
/// sets follow the same law.
/// </summary>
public static class KernelDistance
{
    /// <summary>
    /// The KID / KVD protocol: the unbiased MMD^2 on <see cref="KernelDistanceOptions.Subsets"/> random
    /// subsets of <c>min(SubsetSize, N_real, N_fake)</c> rows from each set, summarized as mean and
    /// (population) standard deviation over the subsets; the mean is the reported KID/KVD.
    /// </summary>
    public static MetricSummary Compute(FeatureMatrix real, FeatureMatrix fake, KernelDistanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        options ??= new KernelDistanceOptions();
        CheckPair(real, fake, "real", "fake");
        if (options.Subsets < 1) throw new ArgumentException($"kernel distance needs at least 1 subset, got {options.Subsets}");
        if (options.SubsetSize < 2) throw new ArgumentException($"kernel distance needs subsets of at least 2 rows, got {options.SubsetSize}");
        int m = Math.Min(options.SubsetSize, Math.Min(real.Rows, fake.Rows));
        var random = new Random(options.Seed);
        var values = new double[options.Subsets];
        for (int s = 0; s < options.Subsets; s++)
        {
            // Same draw order as StyleGAN-V (fake subset, then real subset); the MMD itself is symmetric.
            var x = fake.SelectRows(Sample(random, fake.Rows, m));
            var y = real.SelectRows(Sample(random, real.Rows, m));
            values[s] = UnbiasedMmd2(x, y);
        }
        return MetricSummary.Of(values);
    }

    /// <summary>
    /// The unbiased MMD^2 estimate on the whole of both sets, sizes m and n may differ (Gretton et
    /// al. 2012, eq. 3): <c>sum_{i!=j} k(x_i,x_j) / (m(m-1)) + sum_{i!=j} k(y_i,y_j) / (n(n-1)) - 2 mean k(x_i,y_j)</c>.
    /// </summary>
    public static double UnbiasedMmd2(FeatureMatrix x, FeatureMatrix y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckPair(x, y, "x", "y");
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var a = x.ToTensor();
        var b = y.ToTensor();
        double m = x.Rows, n = y.Rows;
        return OffDiagonalSum(Kernel(a, a)) / (m * (m - 1))
             + OffDiagonalSum(Kernel(b, b)) / (n * (n - 1))
             - 2 * Kernel(a, b).mean().item<double>();
    }

    /// <summary>The cubic polynomial kernel matrix <c>(A B^T / d + 1)^3</c> in float64.</summary>
    private static Tensor Kernel(Tensor a, Tensor b) => (a.mm(b.t()) / a.shape[1] + 1).pow(3);

    // The diagonal k(x_i, x_i) is the biased part of the within-set sum; the unbiased estimator drops it.
    private static double OffDiagonalSum(Tensor k) => k.sum().item<double>() - k.diagonal().sum().item<double>();

    /// <summary><paramref name="count"/> distinct indices below <paramref name="n"/>, uniformly at random (partial Fisher-Yates).</summary>
    private static int[] Sample(Random random, int n, int count)
    {
        var pool = new int[n];
        for (int i = 0; i < n; i++) pool[i] = i;
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, n);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    private static void CheckPair(FeatureMatrix x, FeatureMatrix y, string xName, string yName)
    {
        if (x.Columns != y.Columns)
            throw new ArgumentException($"feature dimensions differ: {xName} has {x.Columns}, {yName} has {y.Columns}");
        if (x.Rows < 2 || y.Rows < 2)
            throw new ArgumentException($"kernel distance needs at least 2 feature vectors per set, got {x.Rows} ({xName}) and {y.Rows} ({yName})");
    }
}
