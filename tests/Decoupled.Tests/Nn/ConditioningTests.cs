using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

/// <summary>
/// Class/caption conditioning and its null condition. Runs alone (<see cref="TorchRngCollection"/>):
/// outputs are compared bit for bit, and TorchRuntime.Backward in a parallel test switches oneDNN
/// off globally for a moment, which changes the rounding of a concurrent forward pass.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class ConditioningTests
{
    [Fact]
    public void ClassAndTextConditioningChangeTheOutput()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var unet = new UNet3D(NnTesting.Tiny with { NumClasses = 5, TextDim = 6 });
        NnTesting.Perturb(unet);
        var x = torch.randn([2, 3, 4, 8, 8]);
        var t = NnTesting.Timesteps(2);
        var ids = torch.tensor(new long[] { 1, 4 });
        var text = torch.randn(2, 6);
        var y = unet.call(x, t, new UNetConditioning(ids, text));
        Assert.Equal(x.shape, y.shape);
        Assert.True(NnTesting.MaxError(y, unet.call(x, t, new UNetConditioning(torch.tensor(new long[] { 2, 4 }), text))) > 1e-4);
        Assert.True(NnTesting.MaxError(y, unet.call(x, t, new UNetConditioning(ids, torch.randn(2, 6)))) > 1e-4);
    }

    [Fact]
    public void DropMaskReplacesOnlyTheDroppedItemsByTheNullCondition()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var unet = new UNet3D(NnTesting.Tiny with { NumClasses = 3, TextDim = 5 });
        NnTesting.Perturb(unet);
        var x = torch.randn([3, 3, 4, 8, 8]);
        var t = NnTesting.Timesteps(3);
        var cond = new UNetConditioning(torch.tensor(new long[] { 0, 1, 2 }), torch.randn(3, 5));
        var kept = unet.call(x, t, cond);
        var dropped = unet.call(x, t, cond with { DropMask = torch.tensor(new[] { false, true, false }) });
        Assert.Equal(0.0, NnTesting.ItemError(kept, dropped, 0));
        Assert.True(NnTesting.ItemError(kept, dropped, 1) > 1e-4, "the dropped item must see the null condition");
        Assert.Equal(0.0, NnTesting.ItemError(kept, dropped, 2));

        // The null condition does not depend on what was dropped.
        var otherCond = new UNetConditioning(torch.tensor(new long[] { 2, 2, 2 }), torch.randn(3, 5));
        var all = unet.call(x, t, cond.Unconditional(3));
        var allOther = unet.call(x, t, otherCond.Unconditional(3));
        Assert.Equal(0.0, NnTesting.MaxError(all, allOther));
        Assert.Equal(0.0, NnTesting.ItemError(all, dropped, 1));
    }

    [Fact]
    public void ConditionDropoutDrawsAMaskOfTheBatchSize()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var cond = new UNetConditioning(torch.zeros(64, dtype: ScalarType.Int64));
        var generator = new Generator(3);
        var mask = cond.WithConditionDropout(0.5, generator).DropMask!;
        Assert.Equal(new long[] { 64 }, mask.shape);
        long dropped = mask.sum().item<long>();
        Assert.InRange(dropped, 16, 48);
        Assert.False(cond.WithConditionDropout(0.0).DropMask!.any().item<bool>());
    }
}
