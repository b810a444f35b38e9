using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;

namespace Decoupled.Tests.EdVdm;

/// <summary>ED-VDM's vector scale: it multiplies the vector channels only, and decoding undoes it.</summary>
[Collection(TorchRngCollection.Name)]
public class VectorScaleTests
{
    [Fact]
    public void ScaledVectorsDecodeToTheSameVideoAndLatentsAreUntouched()
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var vae = new ResidualVae(ResidualVaeConfig.ForBlockSize(4, latentChannels: 4, baseChannels: 8));
        vae.eval();
        var codec = new BlockMotionOptions { BlockSize = 4, SearchRange = 4 };
        var plain = new MotionResidualTargetSpace(vae, codec, latentScale: 1.0);
        var scaled = new MotionResidualTargetSpace(vae, codec, latentScale: 1.0, vectorScale: 3.0);
        using var batch = VideoBatch.Draw(new ShapesClipSource(frames: 5, height: 16, width: 16, seed: 4), step: 0, batchSize: 2);

        var a = plain.Encode(batch.Video);
        var b = scaled.Encode(batch.Video);
        Assert.True(a.narrow(1, 0, 2).abs().sum().item<float>() > 0, "the clips should move");
        Assert.True((a.narrow(1, 0, 2) * 3.0).allclose(b.narrow(1, 0, 2), rtol: 1e-6, atol: 1e-6));
        Assert.True(a.narrow(1, 2, 4).eq(b.narrow(1, 2, 4)).all().item<bool>());

        var first = batch.Video.select(2, 0);
        Assert.True(plain.Decode(a, first).eq(scaled.Decode(b, first)).all().item<bool>());
        // A sampled vector a little off its integer still rounds to it after unscaling.
        var offset = torch.cat([b.narrow(1, 0, 2).sign() * (0.3 * 3.0 / codec.SearchRange), torch.zeros_like(b.narrow(1, 2, 4))], 1);
        Assert.True(plain.Decode(a, first).eq(scaled.Decode(b + offset, first)).all().item<bool>());

        Assert.Equal(5.0, scaled.SampleRange);
        Assert.Equal(12.0, new MotionResidualTargetSpace(vae, codec, 1.0, vectorScale: 12.0).SampleRange);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MotionResidualTargetSpace(vae, codec, 1.0, vectorScale: 0));
    }
}
