using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

public class UNet3DShapeTests
{
    [Theory]
    [InlineData(1, false, false, 1, 1, 8)]
    [InlineData(1, true, true, 4, 2, 8)]
    [InlineData(2, true, true, 8, 1, 16)]
    [InlineData(2, false, true, 4, 2, 8)]
    [InlineData(3, true, true, 4, 1, 16)]
    [InlineData(3, true, false, 1, 2, 8)]
    public void OutputHasTheInputShape(int levels, bool spatialAttention, bool temporalAttention, int frames, int batch, int size)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with
        {
            ChannelMultipliers = [.. new[] { 1, 2, 2 }.Take(levels)],
            AttentionLevels = spatialAttention ? [levels - 1] : [],
            TemporalAttention = temporalAttention,
            InChannels = 2,
            OutChannels = 2,
        };
        var unet = new UNet3D(config);
        NnTesting.Perturb(unet);
        var x = torch.randn([batch, 2, frames, size, size]);
        var y = unet.call(x, NnTesting.Timesteps(batch), UNetConditioning.None);
        Assert.Equal(x.shape, y.shape);
        Assert.True(y.isfinite().all().item<bool>());
        Assert.True(y.abs().max().item<float>() > 0, "a perturbed U-Net should not predict zeros");
    }

    [Theory]
    [InlineData(1, 16, 1)]   // D-VDM: tau at full size
    [InlineData(4, 4, 2)]    // ED-VDM-like: tau 4x smaller than the frame, 4x4 latent grid, two levels
    [InlineData(4, 8, 1)]
    public void FirstFrameFeaturesAreConcatenatedAtTheInputSize(int factor, int size, int batch)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with { FirstFrameChannels = 4, FirstFrameFactor = factor };
        var unet = new UNet3D(config);
        NnTesting.Perturb(unet);
        var x = torch.randn([batch, 3, 4, size, size]);
        var frame = torch.rand(batch, 3, size * factor, size * factor) * 2 - 1;
        var y = unet.call(x, NnTesting.Timesteps(batch), new UNetConditioning(FirstFrame: frame));
        Assert.Equal(x.shape, y.shape);

        // The output must depend on the first frame.
        var other = unet.call(x, NnTesting.Timesteps(batch), new UNetConditioning(FirstFrame: frame.flip(3)));
        Assert.True(NnTesting.MaxError(y, other) > 1e-4);

        var encoder = new FirstFrameEncoder(4, factor);
        Assert.Equal(new long[] { batch, 4, size, size }, encoder.call(frame).shape);
    }

    [Fact]
    public void BadInputsAreRejectedWithAClearMessage()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with { ChannelMultipliers = [1, 2, 2], AttentionLevels = [], FirstFrameChannels = 4 };
        var unet = new UNet3D(config);
        var t = NnTesting.Timesteps(1);
        var frame = torch.zeros(1, 3, 8, 8);
        var odd = Assert.Throws<ArgumentException>(() => unet.call(torch.zeros([1, 3, 4, 6, 6]), t, new UNetConditioning(FirstFrame: torch.zeros(1, 3, 6, 6))));
        Assert.Contains("multiples of 4", odd.Message);
        var longClip = Assert.Throws<ArgumentException>(() => unet.call(torch.zeros([1, 3, 9, 8, 8]), t, new UNetConditioning(FirstFrame: frame)));
        Assert.Contains("max_frames = 8", longClip.Message);
        var noFrame = Assert.Throws<ArgumentException>(() => unet.call(torch.zeros([1, 3, 4, 8, 8]), t, UNetConditioning.None));
        Assert.Contains("first frame", noFrame.Message);
        var wrongFrame = Assert.Throws<ArgumentException>(() => unet.call(torch.zeros([1, 3, 4, 8, 8]), t, new UNetConditioning(FirstFrame: torch.zeros(1, 3, 16, 16))));
        Assert.Contains("[1,3,8,8]", wrongFrame.Message);
        var labels = Assert.Throws<ArgumentException>(() => unet.call(torch.zeros([1, 3, 4, 8, 8]), t, new UNetConditioning(torch.zeros(1, dtype: ScalarType.Int64), FirstFrame: frame)));
        Assert.Contains("num_classes", labels.Message);
        Assert.Null(config.InputSizeProblem(8, 8, 8));
        Assert.Throws<ArgumentException>(() => new UNet3D(config with { AttentionLevels = [3] }));
    }

    [Fact]
    public void ClassIdsOutsideTheRangeAreRejected()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var unet = new UNet3D(NnTesting.Tiny with { NumClasses = 3 });
        var e = Assert.Throws<ArgumentException>(() => unet.call(torch.zeros([1, 3, 2, 8, 8]), NnTesting.Timesteps(1), new UNetConditioning(torch.tensor(new long[] { 3 }))));
        Assert.Contains("[0, 3)", e.Message);
    }
}
