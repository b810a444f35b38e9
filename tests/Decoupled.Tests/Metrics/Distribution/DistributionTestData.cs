namespace Decoupled.Tests.Metrics.Distribution;

/// <summary>Seeded Gaussian feature sets for the distribution-metric tests.</summary>
internal static class DistributionTestData
{
    /// <summary>n rows of d independent normal features with standard deviation <paramref name="scale"/>, shifted by <paramref name="shift"/>.</summary>
    public static double[,] Gaussian(int n, int d, int seed, double shift = 0, double scale = 1)
    {
        var random = new Random(seed);
        var result = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                // Box-Muller: 1 - NextDouble() is in (0, 1], so the log is finite.
                double u = 1 - random.NextDouble(), v = random.NextDouble();
                result[i, j] = shift + scale * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
            }
        return result;
    }
}
