using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;

namespace Decoupled.Tests.EdVdm;

/// <summary>ED-VDM's target scaling and decoding: the vector scale multiplies the vector channels only and decoding undoes it; the dead zone drops small latents.</summary>
[Collection(TorchRngCollection.Name)]
public class MotionResidualScalingTests
{
    private static ResidualVae RandomAutoencoder()
    {
        torch.manual_seed(2);
        var vae = new ResidualVae(ResidualVaeConfig.ForBlockSize(4, latentChannels: 4, baseChannels: 8));
        vae.eval();
        return vae;
    }

    [Fact]
    public void ScaledVectorsDecodeToTheSameVideoAndLatentsAreUntouched()
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        var vae = RandomAutoencoder();
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

    [Fact]
    public void TheDeadZoneDropsTheResidualsOfSmallLatentsOnly()
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        var space = new MotionResidualTargetSpace(RandomAutoencoder(), new BlockMotionOptions { BlockSize = 4, SearchRange = 4 }, latentScale: 1.0);
        // (Decoding quantises the first frame to 8 bits, so frames are compared with decoded frame 0.)
        var first = torch.rand(new long[] { 1, 3, 16, 16 }, generator: new torch.Generator(5)) * 2 - 1;
        // Still vectors; small latents everywhere but one block of P-frame 0, whose latent is large.
        var target = torch.cat([torch.zeros(new long[] { 1, 2, 3, 4, 4 }), torch.randn(new long[] { 1, 4, 3, 4, 4 }, generator: new torch.Generator(6)) * 0.1], 1);
        target[0, 2, 0, 1, 2] = torch.tensor(4f);
        var noisy = space.Decode(target, first);
        Assert.False(noisy.select(2, 3).eq(noisy.select(2, 2)).all().item<bool>(), "a random autoencoder should decode small latents to some residual");

        space.DeadZone = 0.5;
        var clean = space.Decode(target, first);
        var frame1 = clean.select(2, 1);
        var changed = frame1.ne(clean.select(2, 0)).any(1).squeeze(0);                      // [16, 16] pixels that the one large latent altered
        Assert.True(changed.any().item<bool>(), "the block with the large latent lost its residual");
        Assert.False(changed.narrow(0, 0, 4).any().item<bool>() || changed.narrow(0, 8, 8).any().item<bool>()
            || changed.narrow(1, 0, 8).any().item<bool>() || changed.narrow(1, 12, 4).any().item<bool>(), "pixels outside the large latent's block changed");
        // Frames 2 and 3 have small latents only: each is the previous frame unchanged.
        Assert.True(clean.select(2, 3).eq(frame1).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => space.DeadZone = -1);
    }

    [Fact]
    public void TheVectorLossWeightReachesTheTrainingLoss() => AssertTheLossChanges(config => config with { VectorLossWeight = 8 });

    [Fact]
    public void ActiveBlocksAreThoseThatMoveOrCarryAResidual()
    {
        using var scope = torch.NewDisposeScope();
        var x0 = torch.zeros(new long[] { 1, 4, 2, 2, 2 });   // 2 vector + 2 latent channels, 2 P-frames, 2x2 blocks
        x0[0, 1, 0, 0, 0] = torch.tensor(-0.2f);              // P-frame 0, block (0, 0) moves
        x0[0, 2, 0, 1, 1] = torch.tensor(0.4f);               // P-frame 0, block (1, 1): RMS 0.4, below the threshold
        x0[0, 3, 0, 1, 1] = torch.tensor(0.4f);
        x0[0, 2, 1, 1, 0] = torch.tensor(0.6f);               // P-frame 1, block (1, 0): RMS 0.6, above it
        x0[0, 3, 1, 1, 0] = torch.tensor(-0.6f);
        var weights = VideoDiffusionModel.ActiveBlockWeights(x0, weight: 3, threshold: 0.5);
        Assert.Equal(new long[] { 1, 1, 2, 2, 2 }, weights.shape);
        var expected = torch.ones(new long[] { 1, 1, 2, 2, 2 });
        expected[0, 0, 0, 0, 0] = torch.tensor(3f);
        expected[0, 0, 1, 1, 0] = torch.tensor(3f);
        Assert.True(weights.eq(expected).all().item<bool>());
        Assert.True(VideoDiffusionModel.ActiveBlockWeights(x0, weight: 3, threshold: 0.3).sum().item<float>() == 8 + 3 * 2);
        Assert.Throws<ArgumentException>(() => VideoDiffusionModel.ActiveBlockWeights(torch.zeros(1, 4, 2, 2), 3, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoDiffusionModel.ActiveBlockWeights(x0, 0, 0.5));
    }

    [Fact]
    public void TheActiveBlockWeightReachesTheTrainingLoss() => AssertTheLossChanges(config => config with { ActiveBlockLossWeight = 8 });

    /// <summary>The same weights and batch give a repeatable loss, and another one once <paramref name="reweigh"/> changes the config.</summary>
    private static void AssertTheLossChanges(Func<VideoDiffusionConfig, VideoDiffusionConfig> reweigh)
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        var vae = ResidualVaeConfig.ForBlockSize(4, latentChannels: 4, baseChannels: 8);
        var config = VideoDiffusionConfigs.CreateEdVdm(5, 16, 8, [1, 2], ConditionKind.Label, Decoupled.Video.Datasets.Shapes.ShapeAction.All.Select(a => a.Name).ToList(), vae, searchRange: 4, latentScale: 1.0);
        torch.manual_seed(3);
        var plain = new VideoDiffusionModel(config);
        var weighted = new VideoDiffusionModel(reweigh(config));
        weighted.Network.load_state_dict(plain.Network.state_dict());
        using var batch = VideoBatch.Draw(new ShapesClipSource(frames: 5, height: 16, width: 16, seed: 4), step: 0, batchSize: 2);
        float Loss(VideoDiffusionModel m) => m.Loss(batch, new torch.Generator(9)).item<float>();

        Assert.Equal(Loss(plain), Loss(plain));
        Assert.NotEqual(Loss(plain), Loss(weighted), 3);
    }
}
