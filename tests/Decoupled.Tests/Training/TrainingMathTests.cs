using Decoupled.Pipelines.Training;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Training;

public class TrainingMathTests
{
    [Fact]
    public void WarmupClimbsLinearlyThenHolds()
    {
        var options = new TrainingOptions { LearningRate = 1.0, WarmupSteps = 4, Steps = 10 };
        var rates = Enumerable.Range(0, 7).Select(s => LearningRateSchedule.At(options, s)).ToArray();
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0], rates);
    }

    [Fact]
    public void CosineDecayEndsAtTheMinimum()
    {
        var options = new TrainingOptions { LearningRate = 1.0, MinLearningRate = 0.1, WarmupSteps = 2, Steps = 7, Decay = LearningRateDecay.Cosine };
        Assert.Equal(0.5, LearningRateSchedule.At(options, 0), 12);
        Assert.Equal(1.0, LearningRateSchedule.At(options, 2), 12);
        Assert.Equal(0.55, LearningRateSchedule.At(options, 4), 12);   // half way through the 5 decay steps
        Assert.Equal(0.1, LearningRateSchedule.At(options, 6), 12);
        Assert.True(LearningRateSchedule.At(options, 3) > LearningRateSchedule.At(options, 4));
    }

    [Fact]
    public void ClippingCapsTheGlobalNorm()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var a = new TorchSharp.Modules.Parameter(torch.zeros(2));
        var b = new TorchSharp.Modules.Parameter(torch.zeros(1));
        a.grad = torch.tensor(new[] { 3f, 4f });
        b.grad = torch.tensor(new[] { 12f });

        Assert.Equal(13.0, GradientClipping.ClipGlobalNorm([a, b], maxNorm: 100), 5);
        Assert.Equal([3f, 4f], a.grad!.data<float>().ToArray());   // under the cap: untouched

        double before = GradientClipping.ClipGlobalNorm([a, b], maxNorm: 1.0);
        Assert.Equal(13.0, before, 5);
        double after = GradientClipping.ClipGlobalNorm([a, b], maxNorm: null);
        Assert.InRange(after, 0.999, 1.0);
        Assert.Equal(3f / 13f, a.grad!.data<float>()[0], 5);        // every gradient scaled by the same factor
        Assert.Equal(12f / 13f, b.grad!.data<float>()[0], 5);
    }

    [Fact]
    public void EmaWarmupRampsTheDecayUpToItsTarget()
    {
        Assert.Equal(0.1, ExponentialMovingAverage.WarmupDecay(0.999, 0), 12);
        Assert.Equal(101.0 / 110.0, ExponentialMovingAverage.WarmupDecay(0.999, 100), 12);
        Assert.Equal(0.999, ExponentialMovingAverage.WarmupDecay(0.999, 100_000), 12);
    }

    [Fact]
    public void EmaMatchesTheClosedFormUnderAConstantUpdate()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var source = nn.Linear(2, 1);
        var average = nn.Linear(2, 1);
        const double decay = 0.9;
        var ema = new ExponentialMovingAverage(source, average, decay);
        var start = source.weight!.detach().clone();
        const int k = 7;
        for (int i = 0; i < k; i++)
        {
            using (torch.no_grad()) source.weight!.add_(1.0);
            ema.Update();
        }
        // With p_k = p_0 + k, the average trails by decay (1 - decay^k) / (1 - decay).
        double lag = decay * (1 - Math.Pow(decay, k)) / (1 - decay);
        var expected = start + k - lag;
        Assert.True(torch.allclose(average.weight!, expected, rtol: 0, atol: 1e-5), $"EMA {average.weight!.data<float>()[0]} vs {expected.data<float>()[0]}");
        Assert.False(average.weight!.requires_grad);
    }

    [Fact]
    public void StepRandomnessDependsOnlyOnSeedAndStep()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var batches = TinyRegression.Batches(seed: 3);
        torch.manual_seed(1);
        var first = batches(5).X;
        torch.manual_seed(2);
        torch.randn(10);
        var again = batches(5).X;
        Assert.True(first.bytes.SequenceEqual(again.bytes), "the same (seed, step) must give the same batch whatever torch's global RNG did");
        Assert.False(first.bytes.SequenceEqual(batches(6).X.bytes));
        Assert.False(first.bytes.SequenceEqual(TinyRegression.Batches(seed: 4)(5).X.bytes));
        Assert.Equal(StepRandom.Random(3, 5).Next(), StepRandom.Random(3, 5).Next());
        Assert.NotEqual(StepRandom.Seed(3, 5, StepRandom.LossStream), StepRandom.Seed(3, 5, StepRandom.GlobalStream));
    }

    [Fact]
    public void Bf16AutocastRunsMatmulsInBf16AndKeepsFp32Gradients()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var layer = nn.Linear(4, 4);
        var x = torch.randn(2, 4);
        Tensor y;
        using (Bf16Autocast.Enter())
        {
            Assert.True(Bf16Autocast.Active);
            y = layer.call(x);
        }
        Assert.False(Bf16Autocast.Active);
        Assert.Equal(ScalarType.BFloat16, y.dtype);
        Assert.Equal(ScalarType.Float32, layer.call(x).dtype);
        TorchRuntime.Backward(y.to(ScalarType.Float32).sum());
        Assert.Equal(ScalarType.Float32, layer.weight!.grad!.dtype);
    }

    [Fact]
    public void OptionsRejectValuesThatCannotTrain()
    {
        var error = Assert.Throws<UserInputException>(() => new TrainingOptions { EmaDecay = 1.0 }.Validate());
        Assert.Contains("EMA decay", error.Message);
        Assert.Throws<UserInputException>(() => new TrainingOptions { Steps = 0 }.Validate());
        new TrainingOptions().Validate();
    }
}
