using Decoupled.Metrics.Distribution;
using static Decoupled.Tests.Metrics.Distribution.DistributionTestData;

namespace Decoupled.Tests.Metrics.Distribution;

/// <summary>Grouped Frechet distance (cFVD by class, sFVD by subject).</summary>
public class GroupedFrechetTests
{
    [Fact]
    public void GroupsWithTooFewRowsAreSkippedAndTheRestAveraged()
    {
        // 1-D features, where d^2 = (mu1 - mu2)^2 + (sqrt(s1) - sqrt(s2))^2 by hand:
        //   "a": real {0, 2} (mean 1, var 2), fake {1, 3} (mean 2, var 2)  -> 1
        //   "b": real {0, 2} (mean 1, var 2), fake {0, 4} (mean 2, var 8)  -> 1 + (sqrt2 - sqrt8)^2 = 3
        //   "c": one real row -> skipped; "d": fake rows only -> skipped.
        double[][] real = { new[] { 0.0 }, new[] { 0.0 }, new[] { 2.0 }, new[] { 2.0 }, new[] { 5.0 } };
        string[] realKeys = { "a", "b", "a", "b", "c" };
        double[][] fake = { new[] { 1.0 }, new[] { 3.0 }, new[] { 0.0 }, new[] { 4.0 }, new[] { 7.0 }, new[] { 8.0 }, new[] { 1.0 }, new[] { 9.0 } };
        string[] fakeKeys = { "a", "a", "b", "b", "c", "d", "c", "d" };

        var result = GroupedFrechet.Compute(real, realKeys, fake, fakeKeys);

        Assert.Equal(new[] { "a", "b" }, result.Groups.Select(g => g.Key));
        Assert.Equal(1.0, result.Groups[0].Distance, 1e-10);
        Assert.Equal(3.0, result.Groups[1].Distance, 1e-10);
        Assert.Equal((2, 2), (result.Groups[1].RealCount, result.Groups[1].FakeCount));
        Assert.Equal(2.0, result.Summary.Mean, 1e-10);
        Assert.Equal(1.0, result.Summary.Std, 1e-10);   // population std of {1, 3}
        Assert.Equal(2, result.Summary.N);
        Assert.Equal(new[] { "c", "d" }, result.Skipped);
    }

    [Fact]
    public void EachGroupEqualsTheUngroupedDistanceOfItsRows()
    {
        var real = Gaussian(60, 4, seed: 1);
        var fake = Gaussian(45, 4, seed: 2, shift: 0.5);
        int[] realKeys = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        int[] fakeKeys = Enumerable.Range(0, 45).Select(i => i % 3).ToArray();
        var result = GroupedFrechet.Compute(real, realKeys, fake, fakeKeys);
        Assert.Equal(3, result.Groups.Count);
        foreach (var g in result.Groups)
        {
            var r = FeatureMatrix.From(real).SelectRows(Enumerable.Range(0, 60).Where(i => realKeys[i] == g.Key).ToArray());
            var f = FeatureMatrix.From(fake).SelectRows(Enumerable.Range(0, 45).Where(i => fakeKeys[i] == g.Key).ToArray());
            Assert.Equal(FrechetDistance.FromFeatures(r, f), g.Distance, 1e-12);
            Assert.Equal((20, 15), (g.RealCount, g.FakeCount));
        }
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var x = Gaussian(4, 2, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => GroupedFrechet.Compute(x, new[] { 1, 1, 2 }, x, new[] { 1, 1, 2, 2 }));
        Assert.Contains("group keys", e.Message);
        e = Assert.Throws<ArgumentException>(() => GroupedFrechet.Compute(x, new[] { 1, 2, 3, 4 }, x, new[] { 1, 2, 3, 4 }));
        Assert.Contains("no group", e.Message);
        e = Assert.Throws<ArgumentException>(() => GroupedFrechet.Compute(x, new[] { 1, 1, 2, 2 }, Gaussian(4, 3, seed: 2), new[] { 1, 1, 2, 2 }));
        Assert.Contains("dimensions differ", e.Message);
    }
}
