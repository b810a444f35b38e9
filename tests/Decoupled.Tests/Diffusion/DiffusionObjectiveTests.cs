using Decoupled.Generators.Diffusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>Equation 6: the noised batch, its targets, the weighted loss, and min-SNR weights.</summary>
public class DiffusionObjectiveTests
{
    public DiffusionObjectiveTests() => TorchRuntime.Initialize();

    [Fact]
    public void PrepareIsSeededAndUsesTheForwardProcess()
    {
        using var scope = torch.NewDisposeScope();
        var objective = new DiffusionObjective(NoiseSchedule.Linear());
        var x0 = torch.rand([4, 3, 2, 4, 4], generator: new Generator(1)) * 2 - 1;

        var first = objective.Prepare(x0, new Generator(2));
        var second = objective.Prepare(x0, new Generator(2));

        Assert.True(TensorCompare.Identical(first.Timesteps, second.Timesteps) && TensorCompare.Identical(first.Noise, second.Noise));
        Assert.Equal(ScalarType.Int64, first.Timesteps.dtype);
        Assert.True(TensorCompare.Identical(first.NoisySample, objective.Schedule.AddNoise(x0, first.Noise, first.Timesteps)));
        Assert.True(TensorCompare.Identical(first.Target, first.Noise));
    }

    [Fact]
    public void TimestepsAreUniformOverTheWholeSchedule()
    {
        using var scope = torch.NewDisposeScope();
        var objective = new DiffusionObjective(NoiseSchedule.Linear(10));
        var t = objective.SampleTimesteps(20_000, new Generator(3));
        var counts = t.bincount(null, 10);
        Assert.Equal(10, counts.shape[0]);
        Assert.True(counts.min().item<long>() > 1850 && counts.max().item<long>() < 2150, string.Join(",", counts.data<long>().ToArray()));
    }

    [Fact]
    public void LossIsTheWeightedMeanSquaredNoiseError()
    {
        using var scope = torch.NewDisposeScope();
        var weights = Enumerable.Range(0, 100).Select(t => 1.0 + t).ToArray();
        var objective = new DiffusionObjective(NoiseSchedule.Linear(100), weighting: LossWeighting.PerTimestep(weights));
        var x0 = torch.zeros(2, 1, 2, 2);
        var noise = torch.ones(2, 1, 2, 2);
        var batch = objective.Prepare(x0, torch.tensor(new long[] { 3, 50 }), noise);

        // Item 0 is off by 1 everywhere, item 1 by 2 everywhere: (4 * 1 + 51 * 4) / 2.
        var output = torch.cat([torch.zeros(1, 1, 2, 2), torch.full([1, 1, 2, 2], 3f)]);
        Assert.Equal((4.0 * 1 + 51.0 * 4) / 2, objective.Loss(output, batch).item<float>(), 4);
        Assert.Equal(0f, objective.Loss(noise, batch).item<float>());
        Assert.Contains("modelOutput", Assert.Throws<ArgumentException>(() => objective.Loss(torch.zeros(2, 1, 2, 3), batch)).Message);
    }

    [Fact]
    public void ChannelWeightsAreNormalisedToTheirMean()
    {
        using var scope = torch.NewDisposeScope();
        var objective = new DiffusionObjective(NoiseSchedule.Linear(100));
        var noise = torch.zeros(1, 3, 2, 2);
        var batch = objective.Prepare(torch.zeros(1, 3, 2, 2), torch.tensor(new long[] { 7 }), noise);
        // Off by 1 in channel 0 only: plain mean 1/3; with weights (4, 1, 1) channel 0 counts 4 / 2 = 2x, so 2/3.
        var output = torch.cat([torch.ones(1, 1, 2, 2), torch.zeros(1, 2, 2, 2)], 1);
        Assert.Equal(1.0 / 3, objective.Loss(output, batch).item<float>(), 5);
        Assert.Equal(1.0 / 3, objective.Loss(output, batch, [5, 5, 5]).item<float>(), 5);
        Assert.Equal(2.0 / 3, objective.Loss(output, batch, [4, 1, 1]).item<float>(), 5);
        Assert.Equal(0.0, objective.Loss(output, batch, [0, 1, 1]).item<float>(), 6);
        Assert.Throws<ArgumentException>(() => objective.Loss(output, batch, [1, 1]));
        Assert.Throws<ArgumentException>(() => objective.Loss(output, batch, [-1, 1, 1]));
        Assert.Throws<ArgumentException>(() => objective.Loss(output, batch, [0, 0, 0]));
    }

    [Fact]
    public void ElementWeightsAreNormalisedToTheirMean()
    {
        using var scope = torch.NewDisposeScope();
        var objective = new DiffusionObjective(NoiseSchedule.Linear(100));
        var batch = objective.Prepare(torch.zeros(1, 3, 2, 2), torch.tensor(new long[] { 7 }), torch.zeros(1, 3, 2, 2));
        // Off by 1 at pixel (0, 0) in every channel: plain mean 3/12; a weight of 3 there and 1 elsewhere
        // (mean 1.5) makes that pixel count 2x, so 6/12.
        var output = torch.zeros(1, 3, 2, 2);
        output[.., .., 0, 0] = torch.tensor(1f);
        var weights = torch.ones(1, 1, 2, 2);
        weights[0, 0, 0, 0] = torch.tensor(3f);
        Assert.Equal(0.25, objective.Loss(output, batch).item<float>(), 5);
        Assert.Equal(0.5, objective.Loss(output, batch, elementWeights: weights).item<float>(), 5);
        Assert.Equal(0.25, objective.Loss(output, batch, elementWeights: torch.full([1, 1, 2, 2], 7f)).item<float>(), 5);
        Assert.Throws<ArgumentException>(() => objective.Loss(output, batch, elementWeights: -weights));
        Assert.Throws<ArgumentException>(() => objective.Loss(output, batch, elementWeights: torch.zeros(1, 1, 2, 2)));
    }

    [Theory]
    [InlineData(PredictionType.Sample)]
    [InlineData(PredictionType.Velocity)]
    [InlineData(PredictionType.Epsilon)]
    public void ExactPredictionsOfEveryKindHaveZeroLossAndGradientsFlow(PredictionType kind)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Cosine(50);
        var objective = new DiffusionObjective(schedule, kind, LossWeighting.MinSnr());
        var x0 = torch.rand([3, 2, 4, 4], generator: new Generator(4)) * 2 - 1;
        var batch = objective.Prepare(x0, new Generator(5));
        var alphaBar = schedule.Extract(schedule.AlphaBar, batch.Timesteps, x0);
        var exact = kind switch
        {
            PredictionType.Sample => x0,
            PredictionType.Velocity => Parameterization.VelocityFrom(x0, batch.Noise, alphaBar),
            _ => batch.Noise,
        };
        Assert.True(objective.Loss(exact, batch).item<float>() < 1e-10);

        var scale = torch.tensor(0.5f, requires_grad: true);
        TorchRuntime.Backward(objective.Loss(scale * exact, batch));
        Assert.True(scale.grad!.item<float>() < 0, "the loss should fall as the scale rises toward 1");
    }

    [Fact]
    public void MinSnrWeightsClipTheSignalToNoiseRatio()
    {
        var schedule = NoiseSchedule.Linear();
        const double gamma = 5.0;
        var eps = LossWeighting.MinSnr(gamma).Table(schedule, PredictionType.Epsilon);
        var v = LossWeighting.MinSnr(gamma).Table(schedule, PredictionType.Velocity);
        var x0 = LossWeighting.MinSnr(gamma).Table(schedule, PredictionType.Sample);
        foreach (int t in new[] { 0, 50, 300, 999 })
        {
            double snr = schedule.AlphaBar[t] / (1 - schedule.AlphaBar[t]);
            Assert.Equal(Math.Min(snr, gamma) / snr, eps[t], 1e-12);
            Assert.Equal(Math.Min(snr, gamma) / (snr + 1), v[t], 1e-12);
            Assert.Equal(Math.Min(snr, gamma), x0[t], 1e-12);
        }
        Assert.True(eps[0] < 0.01 && eps[999] == 1.0, "noisy steps keep full weight, clean ones are damped");
        Assert.All(LossWeighting.Uniform.Table(schedule, PredictionType.Epsilon), w => Assert.Equal(1.0, w));
        Assert.Contains("1000 weights", Assert.Throws<ArgumentException>(() => LossWeighting.PerTimestep([1.0]).Table(schedule, PredictionType.Epsilon)).Message);
        Assert.Contains("gamma", Assert.Throws<ArgumentException>(() => LossWeighting.MinSnr(0).Table(schedule, PredictionType.Epsilon)).Message);
    }
}
