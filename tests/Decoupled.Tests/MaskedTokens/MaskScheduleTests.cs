using Decoupled.Generators.MaskedTokens;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.MaskedTokens;

public class MaskScheduleTests
{
    [Theory]
    [InlineData(MaskScheduleKind.Cosine)]
    [InlineData(MaskScheduleKind.Linear)]
    public void GammaFallsFromOneToZero(MaskScheduleKind kind)
    {
        var schedule = new MaskSchedule(kind);
        Assert.Equal(1.0, schedule.Gamma(0), 12);
        Assert.Equal(0.0, schedule.Gamma(1), 12);
        var values = Enumerable.Range(0, 101).Select(i => schedule.Gamma(i / 100.0)).ToList();
        Assert.All(values.Zip(values.Skip(1)), pair => Assert.True(pair.Second <= pair.First));
    }

    [Fact]
    public void CosineGammaAndTrainingCounts()
    {
        Assert.Equal(Math.Sqrt(0.5), MaskSchedule.Cosine.Gamma(0.5), 12);
        Assert.Equal(8, MaskSchedule.Cosine.MaskedCount(10, 0.5));   // ceil(7.07)
        Assert.Equal(1, MaskSchedule.Cosine.MaskedCount(10, 1.0));   // at least one
        Assert.Equal(10, MaskSchedule.Cosine.MaskedCount(10, 0.0));
        Assert.Equal(0, MaskSchedule.Cosine.MaskedCount(0, 0.3));
    }

    [Fact]
    public void RandomMaskingPicksTheScheduledCountAmongMaskablePositionsOnly()
    {
        using var tokens = torch.arange(40, dtype: ScalarType.Int64).reshape(4, 10);
        using var maskable = torch.ones(4, 10, dtype: ScalarType.Bool);
        using (torch.no_grad())
        {
            maskable[.., TensorIndex.Slice(0, 3)] = torch.tensor(false);
            maskable[3] = torch.tensor(false);
        }
        using var g1 = new Generator(3);
        using var masked = TokenMasking.Random(tokens, maskable, 99, MaskSchedule.Cosine, g1);
        using var check = new Generator(3);
        var ratios = torch.rand(4, generator: check, dtype: ScalarType.Float64).data<double>().ToArray();
        var counts = masked.Masked.sum(1).data<long>().ToArray();
        for (int row = 0; row < 3; row++) Assert.Equal(MaskSchedule.Cosine.MaskedCount(7, ratios[row]), counts[row]);
        Assert.Equal(0, counts[3]);
        Assert.False(masked.Masked[.., TensorIndex.Slice(0, 3)].any().item<bool>());
        Assert.True(masked.Input.masked_select(masked.Masked).eq(99).all().item<bool>());
        Assert.True(masked.Input.masked_select(masked.Masked.logical_not()).equal(tokens.masked_select(masked.Masked.logical_not())).all().item<bool>());
        using var g2 = new Generator(3);
        using var again = TokenMasking.Random(tokens, maskable, 99, MaskSchedule.Cosine, g2);
        Assert.True(again.Masked.eq(masked.Masked).all().item<bool>());
    }

    [Fact]
    public void TheLossAveragesCrossEntropyOverMaskedPositions()
    {
        // Row of two positions, two classes: logits (0, ln 3) -> p(class 1) = 3/4; position 1 is not masked.
        using var logits = torch.tensor(new float[] { 0, (float)Math.Log(3), 5, -5 }).reshape(1, 2, 2);
        using var targets = torch.tensor(new long[] { 1, 0 }).reshape(1, 2);
        using var masked = torch.tensor(new[] { true, false }).reshape(1, 2);
        using var loss = MaskedTokenLoss.CrossEntropy(logits, targets, masked);
        Assert.Equal(-Math.Log(0.75), loss.item<float>(), 5);
        using var none = MaskedTokenLoss.CrossEntropy(logits, targets, torch.zeros(1, 2, dtype: ScalarType.Bool));
        Assert.Equal(0, none.item<float>());
    }
}
