using Decoupled.Generators.Diffusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>Guidance at sampling time and condition dropout at training time.</summary>
public class ClassifierFreeGuidanceTests
{
    public ClassifierFreeGuidanceTests() => TorchRuntime.Initialize();

    [Fact]
    public void CombineExtrapolatesFromUnconditionalTowardConditional()
    {
        using var scope = torch.NewDisposeScope();
        var conditional = torch.tensor(new float[] { 1, 2, 3 });
        var unconditional = torch.tensor(new float[] { 0, 4, 3 });

        Assert.True(TensorCompare.Identical(ClassifierFreeGuidance.Combine(conditional, unconditional, 3.0), torch.tensor(new float[] { 3, -2, 3 })));
        Assert.True(TensorCompare.Identical(ClassifierFreeGuidance.Combine(conditional, unconditional, 1.0), conditional));
        Assert.True(TensorCompare.Identical(ClassifierFreeGuidance.Combine(conditional, unconditional, 0.0), unconditional));
        Assert.Contains("guidance", Assert.Throws<ArgumentException>(() => ClassifierFreeGuidance.Combine(conditional, unconditional, -1)).Message);
    }

    [Fact]
    public void GuideCallsBothModelsUnlessTheScaleIsOne()
    {
        using var scope = torch.NewDisposeScope();
        int unconditionalCalls = 0;
        Func<Tensor, Tensor, Tensor> conditional = (x, t) => x + 1;
        Func<Tensor, Tensor, Tensor> unconditional = (x, t) => { unconditionalCalls++; return x * 0; };
        var x = torch.ones(2, 3);
        var t = torch.zeros(2, dtype: ScalarType.Int64);

        Assert.True(TensorCompare.Identical(ClassifierFreeGuidance.Guide(conditional, unconditional, 1.0)(x, t), x + 1));
        Assert.Equal(0, unconditionalCalls);
        Assert.True(TensorCompare.Identical(ClassifierFreeGuidance.Guide(conditional, unconditional, 2.5)(x, t), torch.full(2, 3, 5f)));
        Assert.Equal(1, unconditionalCalls);
    }

    [Fact]
    public void DropoutMaskHasTheRequestedRateAndIsSeeded()
    {
        using var scope = torch.NewDisposeScope();
        var mask = ConditionDropout.Mask(50_000, 0.1, new Generator(1));
        Assert.Equal(ScalarType.Bool, mask.dtype);
        double rate = mask.to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(rate, 0.095, 0.105);
        Assert.True(TensorCompare.Identical(mask, ConditionDropout.Mask(50_000, 0.1, new Generator(1))));
        Assert.False(TensorCompare.Identical(mask, ConditionDropout.Mask(50_000, 0.1, new Generator(2))));
        Assert.False(ConditionDropout.Mask(100, 0.0, new Generator(3)).any().item<bool>());
        Assert.True(ConditionDropout.Mask(100, 1.0, new Generator(3)).all().item<bool>());
        Assert.Contains("probability", Assert.Throws<ArgumentException>(() => ConditionDropout.Mask(10, 1.5)).Message);
    }

    [Fact]
    public void DroppedItemsGetTheNullConditionAndItsGradient()
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(new[] { true, false, true });
        var labels = torch.tensor(new long[] { 4, 5, 6 });
        Assert.True(TensorCompare.Identical(ConditionDropout.Apply(labels, mask, 10), torch.tensor(new long[] { 10, 5, 10 })));

        var embeddings = torch.arange(6, dtype: ScalarType.Float32).reshape(3, 2);
        var nullEmbedding = torch.tensor(new float[] { -1, -2 }, requires_grad: true);
        var dropped = ConditionDropout.Apply(embeddings, mask, nullEmbedding);
        Assert.True(TensorCompare.Identical(dropped, torch.tensor(new float[] { -1, -2, 2, 3, -1, -2 }).reshape(3, 2)));
        TorchRuntime.Backward(dropped.sum());
        Assert.True(TensorCompare.Identical(nullEmbedding.grad!, torch.tensor(new float[] { 2, 2 })));

        Assert.Contains("mask", Assert.Throws<ArgumentException>(() => ConditionDropout.Apply(labels, torch.tensor(new[] { true }), 0)).Message);
        Assert.Contains("null embedding", Assert.Throws<ArgumentException>(() => ConditionDropout.Apply(embeddings, mask, torch.zeros(3))).Message);
    }
}
