using Decoupled.Metrics.Distribution;
using TorchSharp;
using static Decoupled.Tests.Metrics.Distribution.DistributionTestData;

namespace Decoupled.Tests.Metrics.Distribution;

/// <summary>Frechet distance (FID/FVD core) on cases with a closed form, and its input checks.</summary>
public class FrechetDistanceTests
{
    [Fact]
    public void IdenticalFeatureSetsGiveZero()
    {
        var x = Gaussian(300, 16, seed: 1, scale: 3);
        Assert.True(Math.Abs(FrechetDistance.FromFeatures(x, x)) < 1e-6);
    }

    [Fact]
    public void PopulationCovarianceIsTheUnbiasedOneScaledByNMinusOneOverN()
    {
        var x = Gaussian(10, 3, seed: 4, scale: 2);
        var unbiased = FeatureStatistics.Compute(x);
        var population = FeatureStatistics.Compute(x, CovarianceEstimator.Population);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(unbiased.Covariance[i, j] * 9 / 10, population.Covariance[i, j], 12);
        Assert.Equal(unbiased.Mean, population.Mean);
        // The trace terms differ, so the two FDs of different-sized sets differ.
        var y = Gaussian(6, 3, seed: 5, scale: 1);
        Assert.NotEqual(FrechetDistance.FromFeatures(x, y), FrechetDistance.FromFeatures(x, y, CovarianceEstimator.Population), 6);
    }

    [Fact]
    public void DiagonalCovariancesGiveTheClosedForm()
    {
        double[] a = { 1.0, 4.0, 0.25, 9.0, 0.0 }, b = { 2.0, 1.0, 0.25, 16.0, 3.0 };
        double[] mu1 = { 0, 1, 2, 3, 4 }, mu2 = { 1, 1, 0, 3, 4.5 };
        double expected = 1 + 0 + 4 + 0 + 0.25;
        for (int i = 0; i < a.Length; i++) expected += a[i] + b[i] - 2 * Math.Sqrt(a[i] * b[i]);
        double actual = FrechetDistance.Compute(new FeatureStatistics(mu1, Diagonal(a), 10), new FeatureStatistics(mu2, Diagonal(b), 10));
        Assert.Equal(expected, actual, 1e-10);
    }

    [Fact]
    public void RotatingBothCovariancesTogetherKeepsTheDistance()
    {
        // S1 = R diag(a) R^T and S2 = R diag(b) R^T share eigenvectors: Tr((S1 S2)^(1/2)) = sum sqrt(a b),
        // but neither matrix is diagonal, so the eigendecomposition route is exercised for real.
        double[] a = { 3.0, 0.5, 2.0, 1.0 }, b = { 1.0, 2.0, 2.0, 0.1 };
        var r = Rotation(4, seed: 5);
        double expected = 0;
        for (int i = 0; i < a.Length; i++) expected += a[i] + b[i] - 2 * Math.Sqrt(a[i] * b[i]);
        var zero = new double[4];
        double actual = FrechetDistance.Compute(new FeatureStatistics(zero, Conjugate(r, a), 10), new FeatureStatistics(zero, Conjugate(r, b), 10));
        Assert.Equal(expected, actual, 1e-10);
    }

    [Fact]
    public void ShiftingOneSetAddsTheSquaredShift()
    {
        // Same covariance on both sides: the trace term cancels and d^2 = |shift|^2 exactly.
        var x = Gaussian(200, 6, seed: 2);
        var y = (double[,])x.Clone();
        double[] shift = { 1, -2, 0.5, 0, 3, -1 };
        for (int i = 0; i < 200; i++)
            for (int j = 0; j < 6; j++) y[i, j] += shift[j];
        Assert.Equal(shift.Sum(s => s * s), FrechetDistance.FromFeatures(x, y), 1e-9);
    }

    [Fact]
    public void ScaledGaussiansApproachThePopulationValue()
    {
        // N(0, I) vs N(1, 4 I) in d = 4: d^2 = 4 * 1 + 4 * (1 + 4 - 2 * 2) = 8; sampling error ~ 0.1 at N = 20000.
        double actual = FrechetDistance.FromFeatures(Gaussian(20000, 4, seed: 3), Gaussian(20000, 4, seed: 4, shift: 1, scale: 2));
        Assert.Equal(8.0, actual, 0.3);
    }

    [Fact]
    public void TensorsGiveTheSameStatisticsAsArrays()
    {
        var x = Gaussian(50, 5, seed: 6);
        using var t = torch.tensor(Flatten(x), new long[] { 50, 5 }, torch.ScalarType.Float64);
        using var t32 = t.to(torch.ScalarType.Float32);
        var fromArray = FeatureStatistics.Compute(x);
        var fromTensor = FeatureStatistics.Compute(t);
        var fromFloat32 = FeatureStatistics.Compute(t32);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(fromArray.Covariance[i, j], fromTensor.Covariance[i, j], 1e-14);
                Assert.Equal(fromArray.Covariance[i, j], fromFloat32.Covariance[i, j], 1e-5);
            }
        Assert.Equal(50, fromTensor.Count);
        Assert.Equal(0.0, FrechetDistance.FromFeatures(t, x), 1e-9);
    }

    [Fact]
    public void JaggedAndRectangularArraysAgree()
    {
        var x = Gaussian(30, 3, seed: 8);
        var jagged = Enumerable.Range(0, 30).Select(i => new[] { x[i, 0], x[i, 1], x[i, 2] }).ToArray();
        var y = Gaussian(30, 3, seed: 9, shift: 0.5);
        Assert.Equal(FrechetDistance.FromFeatures(x, y), FrechetDistance.FromFeatures(jagged, y), 1e-12);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => FrechetDistance.FromFeatures(Gaussian(10, 4, 1), Gaussian(10, 5, 2)));
        Assert.Contains("dimensions differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => FrechetDistance.FromFeatures(Gaussian(1, 4, 1), Gaussian(10, 4, 2)));
        Assert.Contains("at least 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => FrechetDistance.FromFeatures(new[] { new[] { 1.0, 2 }, new[] { 1.0 } }, Gaussian(10, 2, 2)));
        Assert.Contains("differ in length", e.Message);
        var bad = Gaussian(5, 2, 1);
        bad[3, 1] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => FrechetDistance.FromFeatures(bad, Gaussian(5, 2, 2)));
        Assert.Contains("finite", e.Message);
        using var t = torch.zeros(3, 4, 5);
        e = Assert.Throws<ArgumentException>(() => FeatureStatistics.Compute(t));
        Assert.Contains("[N, d]", e.Message);
        Assert.Throws<ArgumentException>(() => new FeatureStatistics(new double[3], new double[3, 2], 4));
    }

    private static double[,] Diagonal(double[] values)
    {
        var m = new double[values.Length, values.Length];
        for (int i = 0; i < values.Length; i++) m[i, i] = values[i];
        return m;
    }

    /// <summary>A random orthogonal matrix: Gram-Schmidt on Gaussian columns.</summary>
    private static double[,] Rotation(int d, int seed)
    {
        var g = Gaussian(d, d, seed);
        var q = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            var v = new double[d];
            for (int i = 0; i < d; i++) v[i] = g[i, j];
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += v[i] * q[i, k];
                for (int i = 0; i < d; i++) v[i] -= dot * q[i, k];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < d; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }

    /// <summary>R diag(values) R^T.</summary>
    private static double[,] Conjugate(double[,] r, double[] values)
    {
        int d = values.Length;
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) m[i, j] += r[i, k] * values[k] * r[j, k];
        return m;
    }

    private static double[] Flatten(double[,] x) => x.Cast<double>().ToArray();
}
