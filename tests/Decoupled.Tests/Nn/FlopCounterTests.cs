using Decoupled.Nn.Blocks;
using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

public class FlopCounterTests
{
    /// <summary>One level, no temporal attention, width 4, one 4x4 frame of one channel: small enough to count by hand.</summary>
    private static readonly UNet3DConfig OneLevel = new()
    {
        InChannels = 1,
        OutChannels = 1,
        BaseChannels = 4,
        ChannelMultipliers = [1],
        ResBlocksPerLevel = 1,
        AttentionLevels = [],
        AttentionHeads = 1,
        AttentionHeadDim = 2,
        TemporalAttention = false,
        NormGroups = 2,
    };

    [Fact]
    public void OneLevelMatchesAHandCount()
    {
        var count = UNet3DFlops.Count(OneLevel, batch: 1, frames: 1, height: 4, width: 4);
        // 16 pixels, width 4, embedding 16, kernel 9.
        long condition = 4 * 16 + 16 * 16;                         // time MLP
        long convIn = 16 * 1 * 4 * 9;
        long resnetSame = 16 * 4 * 4 * 9 * 2;                      // conv1 + conv2
        long film = 16 * 8;                                        // embedding -> scale, shift (per ResNet block)
        long resnetUp = 16 * 8 * 4 * 9 + 16 * 4 * 4 * 9 + 16 * 8 * 4;   // conv1 8->4, conv2, 1x1 skip
        long convOut = 16 * 4 * 1 * 9;
        long attentionProjections = 16 * 4 * 3 * 2 + 16 * 2 * 4;   // to_qkv, to_out (middle block)
        long attentionProducts = 2 * 1 * 16 * 16 * 2;              // q k^T and p v: 16 tokens, 1 head of 2
        // down: one ResNet; middle: two ResNets and spatial attention; up: one ResNet on [h, skip].
        Assert.Equal(convIn + resnetSame + 2 * resnetSame + resnetUp + convOut, count.ConvMacs);
        Assert.Equal(condition + 4 * film + attentionProjections, count.LinearMacs);
        Assert.Equal(attentionProducts, count.AttentionMacs);
        Assert.Equal(2.0 * count.TotalMacs / 1e9, count.ForwardGflops);
        Assert.Equal(3 * count.ForwardGflops, count.TrainingStepGflops, 12);
    }

    [Fact]
    public void DoublingTheWidthQuadruplesConvolutions()
    {
        var config = NnTesting.Tiny with { BaseChannels = 16 };
        var narrow = UNet3DFlops.Count(config, 1, 8, 32, 32);
        var wide = UNet3DFlops.Count(config with { BaseChannels = 32 }, 1, 8, 32, 32);
        double ratio = (double)wide.ConvMacs / narrow.ConvMacs;
        // Exactly 4x except conv_in and conv_out, whose other side (3 channels) does not grow.
        Assert.InRange(ratio, 3.8, 4.0);
        Assert.Equal(2.0 * wide.TotalMacs / 1e9, wide.ForwardGflops);
        // Frames: convs and spatial attention grow linearly; temporal attention products quadratically.
        var noSpatial = config with { AttentionLevels = [] };
        var shortClip = UNet3DFlops.Count(noSpatial, 1, 4, 16, 16);
        var longClip = UNet3DFlops.Count(noSpatial, 1, 8, 16, 16);
        Assert.Equal(2 * shortClip.ConvMacs, longClip.ConvMacs);
        // Attention products = the middle block's spatial attention (B*T sequences of 8x8 = 64
        // tokens, 2 heads of 4) + temporal attention, which is quadratic in T.
        static long SpatialMiddle(long frames) => 2 * frames * 2 * 64 * 64 * 4;
        long temporalShort = shortClip.AttentionMacs - SpatialMiddle(4), temporalLong = longClip.AttentionMacs - SpatialMiddle(8);
        Assert.True(temporalShort > 0);
        Assert.Equal(4 * temporalShort, temporalLong);
    }

    /// <summary>Counts every Conv/Linear MAC of a real forward pass with hooks and checks the analytic walk of the config against it.</summary>
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 16)]   // patched: the levels work at 8x8 again
    public void ConvAndLinearCountsMatchTheLayersOfARealForwardPass(int patch, int size)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with
        {
            ChannelMultipliers = [1, 2, 2],
            ResBlocksPerLevel = 2,
            AttentionLevels = [0, 2],
            NumClasses = 3,
            TextDim = 5,
            FirstFrameChannels = 8,
            FirstFrameFactor = 2,
            PatchSize = patch,
        };
        var unet = new UNet3D(config);
        long conv = 0, linear = 0;
        foreach (var module in unet.modules())
        {
            switch (module)
            {
                case Conv3d c:
                    c.register_forward_hook((m, input, output) => { conv += output.numel() * c.weight!.shape[1] * c.weight.shape[2] * c.weight.shape[3] * c.weight.shape[4]; return output; });
                    break;
                case SpatialConv c:
                    c.register_forward_hook((m, input, output) => { conv += output.numel() * c.Weight.shape[1] * c.Weight.shape[2] * c.Weight.shape[3] * c.Weight.shape[4]; return output; });
                    break;
                case FrameConv c:
                    c.register_forward_hook((m, input, output) => { conv += output.numel() * c.Weight.shape[1] * c.Weight.shape[2] * c.Weight.shape[3]; return output; });
                    break;
                case Conv2d c:
                    c.register_forward_hook((m, input, output) => { conv += output.numel() * c.weight!.shape[1] * c.weight.shape[2] * c.weight.shape[3]; return output; });
                    break;
                case Linear l:
                    l.register_forward_hook((m, input, output) => { linear += output.numel() * l.weight!.shape[1]; return output; });
                    break;
            }
        }
        using (torch.no_grad())
            unet.call(torch.randn([2, 3, 4, size, size]), NnTesting.Timesteps(2), NnTesting.RandomConditioning(config, 2, size, size));
        var count = unet.CountFlops(2, 4, size, size);
        Assert.Equal(conv, count.ConvMacs);
        Assert.Equal(linear, count.LinearMacs);
    }
}
