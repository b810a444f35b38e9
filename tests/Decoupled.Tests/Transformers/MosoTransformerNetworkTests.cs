using Decoupled.Nn.Moso;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Transformers;

[Collection(TorchRngCollection.Name)]
public class MosoTransformerNetworkTests
{
    private static readonly MosoTransformerNetConfig Tiny = new()
    {
        CodebookSize = 16, SceneTokens = 4, MotionFrames = 3, MotionTokensPerFrame = 2, Width = 16, Heads = 2, SceneObjectLayers = 1, MotionLayers = 1, MlpWidth = 32,
    };

    private static MosoTransformerNetwork Network(MosoTransformerNetConfig config)
    {
        torch.manual_seed(5);
        var network = new MosoTransformerNetwork(config);
        NnTesting.Perturb(network, 0.1);
        network.eval();
        return network;
    }

    [Fact]
    public void OutputsHaveOneLogitRowPerTokenAndTheAttentionIsBidirectional()
    {
        var network = Network(Tiny);
        using var pseudo = torch.randint(16, [2, 8], dtype: ScalarType.Int64);
        using var target = torch.full(2, 8, 16L, dtype: ScalarType.Int64);
        using var logits = network.SceneObjectLogits(pseudo, target);
        Assert.Equal(new long[] { 2, 8, 16 }, logits.shape);
        using var guidance = network.Guidance(pseudo);
        Assert.Equal(new long[] { 2, 8, 16 }, guidance.shape);
        using var motion = torch.randint(17, [2, 6], dtype: ScalarType.Int64);
        using var motionLogits = network.MotionLogits(guidance, motion);
        Assert.Equal(new long[] { 2, 6, 16 }, motionLogits.shape);
        using var changed = motion.clone();
        using (torch.no_grad()) changed[.., 5] = (changed[.., 5] + 1).remainder(16);
        using var changedLogits = network.MotionLogits(guidance, changed);
        Assert.False(motionLogits[.., 0].allclose(changedLogits[.., 0]));
    }

    [Fact]
    public void SceneObjectAndGuidanceShareOneBodyAndTheMotionLossReachesIt()
    {
        var network = Network(Tiny);
        var names = network.named_parameters().Select(p => p.name).ToList();
        Assert.Contains(names, n => n.StartsWith("scene_object_body.", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("guidance_body", StringComparison.Ordinal));
        network.train();
        using var so = torch.randint(16, [2, 8], dtype: ScalarType.Int64);
        using var motion = torch.randint(16, [2, 6], dtype: ScalarType.Int64);
        using var loss = network.MotionLogits(network.Guidance(so), motion).square().mean();
        loss.backward();
        var body = network.named_parameters().Where(p => p.name.StartsWith("scene_object_body.", StringComparison.Ordinal)).ToList();
        Assert.Contains(body, p => p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void TheAblationHasNoSceneObjectTransformer()
    {
        var network = Network(Tiny with { Decomposed = false });
        Assert.DoesNotContain(network.named_parameters(), p => p.name.StartsWith("scene_object", StringComparison.Ordinal));
        using var motion = torch.randint(16, [1, 6], dtype: ScalarType.Int64);
        using var logits = network.MotionLogits(null, motion);
        Assert.Equal(new long[] { 1, 6, 16 }, logits.shape);
        Assert.Throws<InvalidOperationException>(() => network.Guidance(motion));
    }

    [Fact]
    public void EvalModeIsDeterministicDespiteDropout()
    {
        var network = Network(Tiny with { Dropout = 0.5 });
        using var so = torch.randint(16, [2, 8], dtype: ScalarType.Int64);
        using var a = network.SceneObjectLogits(so, so);
        using var b = network.SceneObjectLogits(so, so);
        Assert.True(a.eq(b).all().item<bool>());
    }
}
