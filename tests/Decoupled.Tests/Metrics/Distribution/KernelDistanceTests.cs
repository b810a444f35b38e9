using Decoupled.Metrics.Distribution;
using static Decoupled.Tests.Metrics.Distribution.DistributionTestData;

namespace Decoupled.Tests.Metrics.Distribution;

/// <summary>Kernel distance (KID/KVD): unbiasedness, subsets, seeding and input checks.</summary>
public class KernelDistanceTests
{
    [Fact]
    public void SameDistributionGivesNearZeroAndAShiftDoesNot()
    {
        // Unbiased: two samples of one law give E[MMD^2] = 0 (either sign); a shift of 1 in d = 8
        // gives a clearly positive value. Sampling error of the estimate is ~1e-2 here.
        var x = Gaussian(2000, 8, seed: 1);
        var y = Gaussian(2000, 8, seed: 2);
        var shifted = Gaussian(2000, 8, seed: 3, shift: 1);
        var options = new KernelDistanceOptions { Subsets = 5, SubsetSize = 1000 };
        var same = KernelDistance.Compute(x, y, options);
        var different = KernelDistance.Compute(x, shifted, options);
        Assert.True(Math.Abs(same.Mean) < 0.05, $"same law gave {same.Mean}");
        Assert.True(different.Mean > 1, $"shifted law gave {different.Mean}");
    }

    [Fact]
    public void IdenticalSetsGiveAlmostZero()
    {
        // X against itself: only the diagonal terms separate the unbiased estimate from 0, O(1/m).
        var x = Gaussian(1000, 8, seed: 4);
        Assert.True(Math.Abs(KernelDistance.UnbiasedMmd2(x, x)) < 0.02);
    }

    [Fact]
    public void SubsetsAreSeededAndClippedToTheSmallerSet()
    {
        var x = Gaussian(120, 6, seed: 5);
        var y = Gaussian(80, 6, seed: 6, shift: 0.3);
        var options = new KernelDistanceOptions { Subsets = 10, SubsetSize = 50, Seed = 11 };
        var first = KernelDistance.Compute(x, y, options);
        Assert.Equal(first, KernelDistance.Compute(x, y, options));
        Assert.NotEqual(first.Mean, KernelDistance.Compute(x, y, options with { Seed = 12 }).Mean);
        Assert.True(first.Std > 0);
        Assert.Equal(10, first.N);

        // SubsetSize above both sizes is clipped to 80: all of y, 80 of the 120 rows of x.
        var clipped = KernelDistance.Compute(x, y, new KernelDistanceOptions { Subsets = 3, SubsetSize = 1000 });
        Assert.Equal(3, clipped.N);
        Assert.True(double.IsFinite(clipped.Mean));
    }

    [Fact]
    public void WholeSetSubsetsEqualTheFullEstimate()
    {
        var x = Gaussian(60, 5, seed: 7);
        var y = Gaussian(60, 5, seed: 8, scale: 1.5);
        var result = KernelDistance.Compute(x, y, new KernelDistanceOptions { Subsets = 4, SubsetSize = 60 });
        Assert.Equal(KernelDistance.UnbiasedMmd2(x, y), result.Mean, 1e-9);
        Assert.Equal(KernelDistance.UnbiasedMmd2(y, x), result.Mean, 1e-9);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelDistance.Compute(Gaussian(10, 4, 1), Gaussian(10, 3, 2)));
        Assert.Contains("dimensions differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => KernelDistance.UnbiasedMmd2(Gaussian(1, 4, 1), Gaussian(10, 4, 2)));
        Assert.Contains("at least 2", e.Message);
        Assert.Throws<ArgumentException>(() => KernelDistance.Compute(Gaussian(10, 4, 1), Gaussian(10, 4, 2), new KernelDistanceOptions { Subsets = 0 }));
        Assert.Throws<ArgumentException>(() => KernelDistance.Compute(Gaussian(10, 4, 1), Gaussian(10, 4, 2), new KernelDistanceOptions { SubsetSize = 1 }));
    }
}
