using Decoupled.Metrics.Perceptual;
using Decoupled.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Metrics.Perceptual;

/// <summary>LPIPS of tiny AlexNet and VGG16 networks against float64 numpy (fixtures/metrics/make_lpips_reference.py).</summary>
public class LpipsReferenceTests
{
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in LpipsFixtures.Cases) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ClipScoresMatchNumpy(string name)
    {
        var c = LpipsFixtures.Case(name);
        using var network = LpipsWeights.Load(c.WeightsPath);
        Assert.Equal(name == "alex" ? LpipsBackbone.Alex : LpipsBackbone.Vgg16, network.Backbone);
        Assert.Equal(c.Widths, network.Widths);

        var scores = LpipsVideo.Score(network, c.Clip0, c.Clip1);
        Assert.Equal(c.Lpips.Length, scores.PerFrame.Count);
        for (int i = 0; i < c.Lpips.Length; i++)
            AssertRelative(c.Lpips[i], scores.PerFrame[i]);
        AssertRelative(c.Lpips.Average(), scores.Mean);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PerLayerTermsMatchNumpy(string name)
    {
        var c = LpipsFixtures.Case(name);
        using var network = LpipsWeights.Load(c.WeightsPath);
        using var scope = NewDisposeScope();
        var x0 = ClipTensor.ToTensor(c.Clip0).permute(1, 0, 2, 3);
        var x1 = ClipTensor.ToTensor(c.Clip1).permute(1, 0, 2, 3);
        var terms = network.PerLayer(x0, x1).to_type(ScalarType.Float64);
        Assert.Equal([c.Lpips.Length, 5L], terms.shape);
        for (int i = 0; i < c.Lpips.Length; i++)
        {
            for (int k = 0; k < 5; k++)
            {
                // Each term is checked against the pair's total: a small term needs no more digits than the sum it feeds.
                double actual = terms[i, k].item<double>();
                Assert.True(Math.Abs(actual - c.PerLayer[i][k]) <= RelativeTolerance * c.Lpips[i],
                    $"{name} pair {i} layer {k}: expected {c.PerLayer[i][k]:R}, got {actual:R}");
            }
        }
    }

    [Fact]
    public void BatchSizeDoesNotChangeTheScores()
    {
        var c = LpipsFixtures.Case("alex");
        using var network = LpipsWeights.Load(c.WeightsPath);
        var together = LpipsVideo.Score(network, c.Clip0, c.Clip1);
        var oneByOne = LpipsVideo.Score(network, c.Clip0, c.Clip1, batchSize: 1);
        for (int i = 0; i < together.PerFrame.Count; i++)
            Assert.Equal(together.PerFrame[i], oneByOne.PerFrame[i], 1e-7);
        Assert.Equal(together.Mean, together.Summary.Mean, 12);
        Assert.Equal(together.PerFrame.Count, together.Summary.N);
    }

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= RelativeTolerance * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
}
