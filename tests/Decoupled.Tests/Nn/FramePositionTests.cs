using Decoupled.IO;
using Decoupled.Nn.Blocks;
using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

public class FramePositionTests
{
    [Fact]
    public void AFreshEmbeddingAddsTheSinusoidOfEachFrameIndexToEveryPixel()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var embedding = new FramePositionEmbedding(channels: 6, maxFrames: 10);
        var h = torch.randn([2, 6, 4, 3, 5]);
        var y = embedding.call(h);
        Assert.Equal(h.shape, y.shape);

        var expected = new SinusoidalTimeEmbedding(6).call(torch.arange(4, dtype: ScalarType.Float32)); // [4, 6]
        for (int n = 0; n < 4; n++)
        for (int c = 0; c < 6; c++)
        {
            var added = (y[.., c, n] - h[.., c, n]).flatten();
            Assert.True(NnTesting.MaxError(added, torch.full_like(added, expected[n, c].item<float>())) < 1e-6,
                $"frame {n}, channel {c}: every pixel gets the same position value");
        }
        // Frame 0's sinusoid is [0, 0, 0, 1, 1, 1]: the table really is indexed by the frame.
        Assert.Equal(1f, (y - h)[0, 3, 0, 0, 0].item<float>(), 6);
        Assert.Equal(0f, (y - h)[0, 0, 0, 0, 0].item<float>(), 6);
    }

    [Fact]
    public void ItRejectsFeaturesOfAnotherWidthOrLongerThanItsTable()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var embedding = new FramePositionEmbedding(channels: 4, maxFrames: 3);
        Assert.Contains("[B, 4, T, H, W]", Assert.Throws<ArgumentException>(() => embedding.call(torch.zeros([1, 5, 2, 2, 2]))).Message);
        Assert.Contains("at most 3 frames", Assert.Throws<ArgumentException>(() => embedding.call(torch.zeros([1, 4, 4, 2, 2]))).Message);
        Assert.Throws<ArgumentException>(() => new FramePositionEmbedding(4, 0));
    }

    [Fact]
    public void ItIsTrainedWithTheRestOfTheNetwork()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var unet = new UNet3D(NnTesting.Tiny with { FramePositions = true });
        var names = unet.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("frame_position.table", names);
        NnTesting.Perturb(unet);
        var x = torch.randn([1, 3, 4, 8, 8]);
        unet.call(x, NnTesting.Timesteps(1), UNetConditioning.None).square().sum().backward();
        var table = unet.named_parameters().Single(p => p.name == "frame_position.table").parameter;
        Assert.True(table.grad is { } grad && grad.narrow(0, 0, 4).abs().sum().item<float>() > 0, "the positions of the clip's frames get gradients");
    }

    // The blind spot the embedding removes: the same input at every frame (what the network sees
    // when the noise hides the signal and the first frame is concatenated to every frame).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithPositionsTheUNetTellsIdenticalFramesApartWithoutItCannot(bool framePositions)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var unet = new UNet3D(NnTesting.Tiny with { FramePositions = framePositions, FirstFrameChannels = 4 });
        NnTesting.Perturb(unet);
        var frame = torch.randn([1, 3, 1, 8, 8]);
        var x = frame.expand(1, 3, 6, 8, 8).contiguous();
        var firstFrame = torch.rand(1, 3, 8, 8) * 2 - 1;
        var y = unet.call(x, NnTesting.Timesteps(1), new UNetConditioning(FirstFrame: firstFrame));
        double spread = NnTesting.MaxError(y, y.narrow(2, 0, 1).expand_as(y));
        if (framePositions)
            Assert.True(spread > 1e-3, $"frames should differ, max difference {spread}");
        else
            Assert.True(spread < 1e-5, $"without positions identical frames must give identical outputs, got {spread}");
    }

    [Fact]
    public void AConfigWrittenBeforeFramePositionsLoadsWithoutThem()
    {
        var json = JsonFile.Serialize(NnTesting.Tiny with { FramePositions = true });
        Assert.True(JsonSerializer.Deserialize<UNet3DConfig>(json, JsonFile.Options)!.FramePositions);

        var old = JsonNode.Parse(json)!.AsObject();
        Assert.True(old.Remove("frame_positions"));
        Assert.False(old.Deserialize<UNet3DConfig>(JsonFile.Options)!.FramePositions);
    }

    [Fact]
    public void TheInputSizeCheckCountsFramePositionsWithoutTemporalAttention()
    {
        var config = NnTesting.Tiny with { TemporalAttention = false, FramePositions = true, MaxFrames = 4 };
        Assert.Contains("max_frames = 4", config.InputSizeProblem(5, 8, 8));
        Assert.Null(config.InputSizeProblem(4, 8, 8));
        Assert.Null((config with { FramePositions = false }).InputSizeProblem(5, 8, 8));
    }
}
