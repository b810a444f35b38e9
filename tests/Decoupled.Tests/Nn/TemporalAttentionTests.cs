using Decoupled.Nn.Blocks;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

public class TemporalAttentionTests
{
    private static TemporalAttention Attention(bool withBias)
    {
        var attention = new TemporalAttention(channels: 8, heads: 2, headDim: 4, groups: 4, maxFrames: 8);
        NnTesting.Perturb(attention);
        if (!withBias)
        {
            using var noGrad = torch.no_grad();
            attention.Bias.Table.zero_();
        }
        return attention;
    }

    private static Tensor Frames(Tensor x, long[] order) => x.index_select(2, torch.tensor(order));

    [Fact]
    public void BiasDependsOnlyOnTheRelativeDistance()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var bias = new RelativePositionBias(heads: 3, maxFrames: 6);
        using (torch.no_grad()) bias.Table.copy_(torch.randn(3, 11));
        var b = bias.call(6);
        Assert.Equal(new long[] { 3, 6, 6 }, b.shape);
        for (int h = 0; h < 3; h++)
        for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
        {
            Assert.Equal(bias.Table[h, j - i + 5].item<float>(), b[h, i, j].item<float>());
            if (i < 5 && j < 5) Assert.Equal(b[h, i, j].item<float>(), b[h, i + 1, j + 1].item<float>());
        }
        // A shorter clip uses the same weights: its bias is the top-left corner of the longer one's.
        Assert.Equal(0.0, NnTesting.MaxError(bias.call(4), b[.., ..4, ..4]));
        Assert.Contains("at most 6 frames", Assert.Throws<ArgumentException>(() => bias.call(7)).Message);
        // Distinct distances must get distinct values, or the test above proves nothing.
        Assert.NotEqual(b[0, 0, 1].item<float>(), b[0, 1, 0].item<float>());
    }

    [Fact]
    public void WithoutBiasAttentionIsPermutationEquivariantOverFrames()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var attention = Attention(withBias: false);
        var x = torch.randn([2, 8, 6, 3, 3]);
        long[] order = [3, 0, 5, 1, 4, 2];
        var permutedThenAttended = attention.call(Frames(x, order));
        var attendedThenPermuted = Frames(attention.call(x), order);
        Assert.True(NnTesting.MaxError(permutedThenAttended, attendedThenPermuted) < 1e-5);
        Assert.True(NnTesting.MaxError(attendedThenPermuted, Frames(x, order)) > 1e-3, "the perturbed attention must not be the identity");
    }

    [Fact]
    public void WithBiasFrameOrderMattersAsTheBiasSays()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var attention = Attention(withBias: true);
        var x = torch.randn([2, 8, 6, 3, 3]);
        long[] order = [3, 0, 5, 1, 4, 2];
        Assert.True(NnTesting.MaxError(attention.call(Frames(x, order)), Frames(attention.call(x), order)) > 1e-3,
            "a relative position bias must break permutation equivariance");

        // Reversing time maps distance d to -d: reversing the clip and mirroring the table gives
        // the reversed output exactly.
        long[] reverse = [5, 4, 3, 2, 1, 0];
        var expected = Frames(attention.call(x), reverse);
        using (torch.no_grad()) attention.Bias.Table.copy_(attention.Bias.Table.flip(1));
        Assert.True(NnTesting.MaxError(attention.call(Frames(x, reverse)), expected) < 1e-5);
    }

    [Fact]
    public void AnyClipLengthUpToTheMaximumWorks()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var attention = Attention(withBias: true);
        foreach (long frames in new long[] { 1, 3, 8 })
        {
            var x = torch.randn([1, 8, frames, 2, 2]);
            Assert.Equal(x.shape, attention.call(x).shape);
        }
        Assert.Throws<ArgumentException>(() => attention.call(torch.randn([1, 8, 9, 2, 2])));
    }

    [Fact]
    public void FreshAttentionBlocksAreTheIdentity()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var x = torch.randn([1, 8, 4, 4, 4]);
        Assert.Equal(0.0, NnTesting.MaxError(new TemporalAttention(8, 2, 4, 4, 8).call(x), x));
        Assert.Equal(0.0, NnTesting.MaxError(new SpatialAttention(8, 2, 4, 4).call(x), x));
    }

    [Fact]
    public void SpatialAttentionKeepsFramesApart()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var attention = new SpatialAttention(8, 2, 4, 1);
        NnTesting.Perturb(attention);
        // GroupNorm statistics span all frames, so change frame 3 by a pure permutation of its
        // pixels within the frame: frames 0-2 must not notice.
        var x = torch.randn([1, 8, 4, 4, 4]);
        var changed = x.clone();
        changed[.., .., 3] = x[.., .., 3].flip(2, 3);
        var y = attention.call(x);
        var z = attention.call(changed);
        Assert.True(NnTesting.MaxError(y[.., .., ..3], z[.., .., ..3]) < 1e-5);
        Assert.True(NnTesting.MaxError(y[.., .., 3], z[.., .., 3]) > 1e-4);
    }
}
