using Decoupled.Nn.Blocks;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

public class LayersTests
{
    [Fact]
    public void GroupNormStartsAsAPlainNormalisation()
    {
        // Guards the workaround for TorchSharp 0.107's uninitialised GroupNorm parameters.
        TorchRuntime.Initialize();
        for (int i = 0; i < 50; i++)
        {
            using var scope = NewDisposeScope();
            var norm = Layers.GroupNorm(8, 4);
            Assert.True(norm.weight!.eq(1).all().item<bool>(), "weight must start at 1");
            Assert.True(norm.bias!.eq(0).all().item<bool>(), "bias must start at 0");
        }
    }

    [Theory]
    [InlineData(8, 4, 4)]
    [InlineData(12, 8, 6)]
    [InlineData(3, 8, 3)]
    [InlineData(7, 4, 1)]
    public void GroupsAreTheLargestDivisorUpToTheRequest(long channels, long groups, long expected) =>
        Assert.Equal(expected, Layers.GroupsFor(channels, groups));

    [Fact]
    public void SinusoidalEmbeddingMatchesTheFormula()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var e = new SinusoidalTimeEmbedding(6).call(torch.tensor(new long[] { 0, 7 }));
        Assert.Equal(new long[] { 2, 6 }, e.shape);
        for (int i = 0; i < 3; i++)
        {
            double w = Math.Pow(10000, -i / 3.0);
            Assert.Equal(Math.Sin(7 * w), e[1, i].item<float>(), 5);
            Assert.Equal(Math.Cos(7 * w), e[1, 3 + i].item<float>(), 5);
            Assert.Equal(1.0, e[0, 3 + i].item<float>(), 6);
        }
    }

    [Fact]
    public void DownAndUpsampleHalveAndDoubleSpaceOnly()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var x = torch.randn([1, 4, 3, 8, 6]);
        Assert.Equal(new long[] { 1, 4, 3, 4, 3 }, new Downsample(4).call(x).shape);
        Assert.Equal(new long[] { 1, 4, 3, 16, 12 }, new Upsample(4).call(x).shape);
    }
}
