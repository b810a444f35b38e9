using System.Text.Json;
using Decoupled.Metrics.Distribution;

namespace Decoupled.Tests.Metrics.Distribution;

/// <summary>
/// Feature statistics, Frechet distance, kernel distance and Inception Score against numpy/scipy
/// (fixtures/metrics/make_distribution_metric_reference.py: scipy.linalg.sqrtm-based FD as in
/// pytorch-fid and StyleGAN-V, the unbiased polynomial-kernel MMD^2, improved-GAN's IS splits).
/// </summary>
public class DistributionMetricReferenceTests
{
    private const double Relative = 1e-6;

    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics", "distribution_metric_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static TheoryData<string> FeatureCases() => Names("features");

    public static TheoryData<string> InceptionCases() => Names("inception");

    [Theory]
    [MemberData(nameof(FeatureCases))]
    public void MeanAndCovarianceMatchNumpy(string name)
    {
        var c = Case("features", name);
        var stats = FeatureStatistics.Compute(Matrix(c.GetProperty("real")));
        var mean = Vector(c.GetProperty("real_mean"));
        var cov = Matrix(c.GetProperty("real_cov"));
        Assert.Equal(mean.Length, stats.Dimension);
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.Equal(mean[i], stats.Mean[i], 1e-12);
            for (int j = 0; j < mean.Length; j++) Assert.Equal(cov[i][j], stats.Covariance[i, j], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(FeatureCases))]
    public void FrechetDistanceMatchesScipySqrtm(string name)
    {
        var c = Case("features", name);
        double actual = FrechetDistance.FromFeatures(Matrix(c.GetProperty("real")), Matrix(c.GetProperty("fake")));
        AssertRelative(c.GetProperty("frechet").GetDouble(), actual);
    }

    [Theory]
    [MemberData(nameof(FeatureCases))]
    public void UnbiasedMmdMatchesNumpy(string name)
    {
        var c = Case("features", name);
        double actual = KernelDistance.UnbiasedMmd2(Matrix(c.GetProperty("real")), Matrix(c.GetProperty("fake")));
        AssertRelative(c.GetProperty("mmd2").GetDouble(), actual);
    }

    [Fact]
    public void KernelDistanceWithWholeSetSubsetsMatchesStyleGanV()
    {
        // Equal set sizes and a subset size above them: every subset is the whole set, permuted.
        var c = Root.Value.GetProperty("kvd_whole_set");
        var options = new KernelDistanceOptions { Subsets = c.GetProperty("num_subsets").GetInt32(), SubsetSize = c.GetProperty("subset_size").GetInt32(), Seed = 7 };
        var result = KernelDistance.Compute(Matrix(c.GetProperty("real")), Matrix(c.GetProperty("fake")), options);
        AssertRelative(c.GetProperty("kvd").GetDouble(), result.Mean);
        Assert.Equal(options.Subsets, result.N);
        Assert.True(result.Std < 1e-9 * Math.Abs(result.Mean), $"subsets of the whole set should agree, std {result.Std}");
    }

    [Theory]
    [MemberData(nameof(InceptionCases))]
    public void InceptionScoreMatchesNumpy(string name)
    {
        var c = Case("inception", name);
        int splits = c.GetProperty("splits").GetInt32();
        var expectedScores = Vector(c.GetProperty("split_scores"));
        var scores = InceptionScore.SplitScores(Matrix(c.GetProperty("probs")), splits);
        Assert.Equal(expectedScores.Length, scores.Length);
        for (int i = 0; i < scores.Length; i++) AssertRelative(expectedScores[i], scores[i]);

        var fromProbs = InceptionScore.FromProbabilities(Matrix(c.GetProperty("probs")), splits);
        var fromLogits = InceptionScore.FromLogits(Matrix(c.GetProperty("logits")), splits);
        foreach (var result in new[] { fromProbs, fromLogits })
        {
            AssertRelative(c.GetProperty("mean").GetDouble(), result.Mean);
            Assert.Equal(c.GetProperty("std").GetDouble(), result.Std, 1e-9);
            Assert.Equal(splits, result.N);
        }
    }

    private static void AssertRelative(double expected, double actual)
    {
        double error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-12);
        Assert.True(error < Relative, $"expected {expected:R}, got {actual:R} (relative error {error:E2})");
    }

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.Value.GetProperty(section).EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string section, string name) =>
        Root.Value.GetProperty(section).EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    private static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();
}
