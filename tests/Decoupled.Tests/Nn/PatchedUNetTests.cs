using Decoupled.Nn.Blocks;
using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

/// <summary>Space-to-depth patches and the U-Net that works on them (<see cref="UNet3DConfig.PatchSize"/>).</summary>
public class PatchedUNetTests
{
    [Fact]
    public void FoldMatchesPixelUnshuffleFrameByFrameAndUnfoldInvertsIt()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var video = torch.randn([2, 3, 4, 8, 12]);
        var folded = VideoPatches.Fold(video, 2);
        Assert.Equal(new long[] { 2, 12, 4, 4, 6 }, folded.shape);
        for (int t = 0; t < 4; t++)
        {
            var expected = nn.functional.pixel_unshuffle(video.select(2, t), 2);
            Assert.Equal(0.0, NnTesting.MaxError(folded.select(2, t), expected));
        }
        Assert.Equal(0.0, NnTesting.MaxError(VideoPatches.Unfold(folded, 2), video));
        Assert.Equal(0.0, NnTesting.MaxError(VideoPatches.Unfold(VideoPatches.Fold(video, 4), 4), video));
        Assert.Equal(0.0, NnTesting.MaxError(VideoPatches.Fold(video, 1), video));
    }

    [Fact]
    public void OnePixelLandsWhereFoldSaysAndComesBack()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var video = torch.zeros([1, 2, 1, 4, 4]);
        video[0, 1, 0, 3, 2] = torch.tensor(5f);   // channel 1, row 3 = patch row 1, offset 1; column 2 = patch column 1, offset 0
        var folded = VideoPatches.Fold(video, 2);
        Assert.Equal(5f, folded[0, 1 * 4 + 1 * 2 + 0, 0, 1, 1].item<float>());
        Assert.Equal(5f, folded.sum().item<float>());
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => VideoPatches.Fold(torch.zeros([1, 3, 2, 6, 7]), 2));
        Assert.Throws<ArgumentException>(() => VideoPatches.Fold(torch.zeros([3, 2, 6, 6]), 2));
        Assert.Throws<ArgumentException>(() => VideoPatches.Unfold(torch.zeros([1, 6, 2, 3, 3]), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoPatches.Fold(torch.zeros([1, 3, 2, 6, 6]), 0));
    }

    [Fact]
    public void APatchedUNetKeepsTheInputShapeAndSeesTheFirstFrame()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with { FirstFrameChannels = 4, NumClasses = 3, PatchSize = 2, FramePositions = true };
        var unet = new UNet3D(config);

        // A fresh U-Net predicts zeros (zero-initialised conv_out), patched or not.
        var x = torch.randn([2, 3, 4, 16, 16]);
        var conditioning = NnTesting.RandomConditioning(config, 2, 16, 16);
        Assert.Equal(0.0, unet.call(x, NnTesting.Timesteps(2), conditioning).abs().max().item<float>());

        NnTesting.Perturb(unet);
        var y = unet.call(x, NnTesting.Timesteps(2), conditioning);
        Assert.Equal(x.shape, y.shape);
        Assert.True(y.isfinite().all().item<bool>());
        var other = unet.call(x, NnTesting.Timesteps(2), conditioning with { FirstFrame = conditioning.FirstFrame!.flip(3) });
        Assert.True(NnTesting.MaxError(y, other) > 1e-4, "the output must depend on the first frame");

        // The first frame is the clip's size, not the patch grid's.
        var wrong = Assert.Throws<ArgumentException>(() => unet.call(x, NnTesting.Timesteps(2), conditioning with { FirstFrame = torch.zeros(2, 3, 8, 8) }));
        Assert.Contains("[2,3,16,16]", wrong.Message);
    }

    [Fact]
    public void APatchedUNetNeedsSizesDivisibleByThePatchTimesItsLevels()
    {
        var config = NnTesting.Tiny with { PatchSize = 2 };
        Assert.Equal(4, config.SizeDivisor);
        Assert.Null(config.InputSizeProblem(4, 8, 8));
        Assert.Contains("2x2 patches", config.InputSizeProblem(4, 6, 6));
        Assert.Throws<ArgumentException>(() => (NnTesting.Tiny with { PatchSize = 0 }).Validate());
    }

    [Fact]
    public void PatchesCutTheCostOfTheFullSizeLevel()
    {
        var plain = NnTesting.Tiny with { FirstFrameChannels = 4 };
        var patched = plain with { PatchSize = 2 };
        var full = UNet3DFlops.Count(plain, 1, 4, 32, 32);
        var cheap = UNet3DFlops.Count(patched, 1, 4, 32, 32);
        Assert.True(cheap.TotalMacs < full.TotalMacs / 3, $"patched {cheap.TotalMacs} against {full.TotalMacs} MACs");
    }
}
