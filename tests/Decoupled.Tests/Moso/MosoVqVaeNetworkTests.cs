using Decoupled.Nn.Moso;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

[Collection(TorchRngCollection.Name)]
public class MosoVqVaeNetworkTests
{
    private static MosoVqVae Network(bool decomposed = true)
    {
        torch.manual_seed(9);
        var vqvae = new MosoVqVae(MosoPipelineTesting.VqVaeConfig(decomposed).Net);
        NnTesting.Perturb(vqvae, 0.05);
        vqvae.eval();
        return vqvae;
    }

    private static Tensor Video(long batch = 2) => torch.rand([batch, 3, 8, 32, 32]) * 2 - 1;

    [Fact]
    public void EncodeAndDecodeHaveThePapersShapes()
    {
        var vqvae = Network();
        using var video = Video();
        var encoding = vqvae.Encode(video, video, video);
        Assert.Equal(new long[] { 2, 8, 8 }, encoding.SceneTokens!.shape);
        Assert.Equal(new long[] { 2, 8, 8 }, encoding.ObjectTokens!.shape);
        Assert.Equal(new long[] { 2, 8, 4, 4 }, encoding.MotionTokens.shape);
        Assert.Equal(new long[] { 2, 16, 8, 4, 4 }, encoding.MotionQuantized.shape);
        using var decoded = vqvae.Decode(encoding.SceneQuantized, encoding.ObjectQuantized, encoding.MotionQuantized);
        Assert.Equal(new long[] { 2, 3, 8, 32, 32 }, decoded.shape);
        using var fromTokens = vqvae.DecodeTokens(encoding.SceneTokens, encoding.ObjectTokens, encoding.MotionTokens);
        Assert.True(fromTokens.allclose(decoded, atol: 1e-5));
        using var sceneOnly = vqvae.DecodeTokens(encoding.SceneTokens, null, null, frames: 3);
        Assert.Equal(new long[] { 2, 3, 3, 32, 32 }, sceneOnly.shape);
    }

    [Fact]
    public void TheAblationEncodesFramesAloneAndDecodesWithoutMerge()
    {
        var vqvae = Network(decomposed: false);
        Assert.Null(vqvae.Merge);
        using var video = Video();
        var encoding = vqvae.Encode(null, null, video);
        Assert.Null(encoding.SceneTokens);
        Assert.Equal(new long[] { 2, 8, 4, 4 }, encoding.MotionTokens.shape);
        using var decoded = vqvae.DecodeTokens(null, null, encoding.MotionTokens);
        Assert.Equal(new long[] { 2, 3, 8, 32, 32 }, decoded.shape);
    }

    [Fact]
    public void AWiderEncoderLeavesTheDecoderAndTheShapesAsTheyWere()
    {
        // --encoder-width: the ablation gets MOSO's parameter count in its frame-wise encoder, MOSO's decoder unchanged.
        var net = MosoPipelineTesting.VqVaeConfig(decomposed: false).Net;
        var plain = new MosoVqVae(net);
        var wide = new MosoVqVae(net with { MotionEncoderHidden = 24 });
        var plainShapes = plain.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var wideShapes = wide.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(plainShapes.Keys.Order(), wideShapes.Keys.Order());
        foreach (var (name, shape) in plainShapes)
        {
            if (name.StartsWith("motion_encoder.", StringComparison.Ordinal) || name.StartsWith("motion_in.", StringComparison.Ordinal)) continue;
            Assert.Equal(shape, wideShapes[name]);
        }
        Assert.True(wide.parameters().Sum(p => p.numel()) > plain.parameters().Sum(p => p.numel()));
        Assert.Contains(wideShapes, p => p.Key.StartsWith("motion_encoder.", StringComparison.Ordinal) && p.Value.Contains(24L));

        wide.eval();
        using var video = Video();
        var encoding = wide.Encode(null, null, video);
        Assert.Equal(new long[] { 2, 16, 8, 4, 4 }, encoding.MotionQuantized.shape);
        using var decoded = wide.DecodeTokens(null, null, encoding.MotionTokens);
        Assert.Equal(new long[] { 2, 3, 8, 32, 32 }, decoded.shape);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    public void TheEncoderWidthMustBePositiveAndSplitIntoTheHeads(int width)
    {
        var net = MosoPipelineTesting.VqVaeConfig(decomposed: false).Net with { MotionEncoderHidden = width };
        Assert.Throws<ArgumentException>(net.Validate);
    }

    [Fact]
    public void FrameTDependsOnMotionTAlone()
    {
        var vqvae = Network();
        using var video = Video(1);
        var encoding = vqvae.Encode(video, video, video);
        using var decoded = vqvae.Decode(encoding.SceneQuantized, encoding.ObjectQuantized, encoding.MotionQuantized);
        using var changed = encoding.MotionQuantized.clone();
        using (torch.no_grad()) changed[.., .., TensorIndex.Slice(1)] = torch.randn_like(changed[.., .., TensorIndex.Slice(1)]);
        using var redecoded = vqvae.Decode(encoding.SceneQuantized, encoding.ObjectQuantized, changed);
        Assert.True(MosoPipelineTesting.Same(decoded[.., .., 0], redecoded[.., .., 0]));
        Assert.False(decoded[.., .., 1].allclose(redecoded[.., .., 1]));
    }

    [Fact]
    public void WorkingPoolsNeverExchangeInformation()
    {
        var vqvae = Network();
        using var video = Video(1);
        var before = vqvae.Encode(video, video, video);
        using var altered = video.clone();
        using (torch.no_grad()) altered[.., .., TensorIndex.Slice(2)] = torch.rand_like(altered[.., .., TensorIndex.Slice(2)]);
        var after = vqvae.Encode(video, video, altered);
        // Pool 0 holds frames 0-1: their motion features cannot see frames 2-7.
        Assert.True(MosoPipelineTesting.Same(before.MotionQuantized[.., .., TensorIndex.Slice(0, 2)], after.MotionQuantized[.., .., TensorIndex.Slice(0, 2)]));
        Assert.False(before.MotionQuantized[.., .., TensorIndex.Slice(2)].allclose(after.MotionQuantized[.., .., TensorIndex.Slice(2)]));
        using var late = video.clone();
        using (torch.no_grad()) late[.., .., 1] = torch.rand_like(late[.., .., 1]);
        var third = vqvae.Encode(video, video, late);
        Assert.True(MosoPipelineTesting.Same(before.MotionQuantized[.., .., TensorIndex.Slice(2)], third.MotionQuantized[.., .., TensorIndex.Slice(2)]));
    }

    [Fact]
    public void TheMergeGateLiesInTheOpenUnitIntervalAndEqualContentPassesThrough()
    {
        torch.manual_seed(4);
        var merge = new MergeModule(8);
        NnTesting.Perturb(merge, 0.05);
        using var scene = torch.randn(2, 8, 8, 8);
        using var obj = torch.randn(2, 8, 8, 8);
        using var motion = torch.randn(2, 8, 4, 4);
        using var gate = merge.Gate(scene, obj, motion);
        Assert.Equal(new long[] { 2, 8, 8, 8 }, gate.shape);
        Assert.True(gate.gt(0).all().item<bool>() && gate.lt(1).all().item<bool>());
        using var mixed = merge.call(scene, obj, motion);
        Assert.True(mixed.allclose(gate * obj + (1 - gate) * scene, atol: 1e-6));
        using var otherMotion = torch.randn(2, 8, 4, 4);
        using var same = merge.call(scene, scene, otherMotion);
        Assert.True(same.allclose(scene, atol: 1e-6));
    }
}
