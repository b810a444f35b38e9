using Decoupled.Generators.Diffusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>DDIM and DDPM against exact-model oracles and their closed-form step variances.</summary>
public class SamplerTests
{
    private static readonly long[] VideoShape = [2, 3, 4, 4, 4];

    public SamplerTests() => TorchRuntime.Initialize();

    private static Tensor CleanVideo(ulong seed) => torch.rand(VideoShape, generator: new Generator(seed)) * 1.8 - 0.9;

    [Theory]
    [InlineData(NoiseScheduleKind.Linear, 10)]
    [InlineData(NoiseScheduleKind.Linear, 50)]
    [InlineData(NoiseScheduleKind.Cosine, 10)]
    [InlineData(NoiseScheduleKind.Cosine, 50)]
    public void DdimWithTheExactModelRecoversX0FromPureNoise(NoiseScheduleKind kind, int steps)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = new NoiseSchedule(new NoiseScheduleConfig(kind));
        var x0 = CleanVideo(4);
        var noise = torch.randn(VideoShape, generator: new Generator(5));
        var sampler = new DdimSampler(schedule, new SamplerOptions(ClipSample: false));

        var result = DiffusionSampling.Run(ExactModel.Epsilon(schedule, x0), noise, sampler, steps);

        Assert.Equal(steps, sampler.Timesteps.Count);
        Assert.True(TensorCompare.MaxError(result, x0) < 1e-5, $"off by {TensorCompare.MaxError(result, x0)}");
    }

    [Fact]
    public void DdimWithEtaZeroIsDeterministic()
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear();
        var sampler = new DdimSampler(schedule);
        var noise = torch.randn(VideoShape, generator: new Generator(6));
        // A model that is not exact, so any hidden randomness would show.
        Func<Tensor, Tensor, Tensor> model = (xt, t) => 0.5 * xt.tanh();

        var first = DiffusionSampling.Run(model, noise, sampler, 20, eta: 0.0, generator: new Generator(1));
        torch.randn(10);
        var second = DiffusionSampling.Run(model, noise, sampler, 20, eta: 0.0, generator: new Generator(2));

        Assert.True(TensorCompare.Identical(first, second));
    }

    [Theory]
    [InlineData(999, 10)]
    [InlineData(459, 50)]
    [InlineData(3, 1000)]
    public void OneDdimStepWithTheExactModelStaysOnTheDeterministicPath(long t, int steps)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear();
        var sampler = new DdimSampler(schedule, new SamplerOptions(ClipSample: false, Spacing: TimestepSpacing.Trailing));
        sampler.SetTimesteps(steps);
        Assert.Contains(t, sampler.Timesteps);
        long previous = sampler.PreviousTimestep(t);
        var x0 = CleanVideo(7);
        var eps = torch.randn(VideoShape, generator: new Generator(8));
        var xt = schedule.AddNoise(x0, eps, torch.full([2], t, dtype: ScalarType.Int64));

        var step = sampler.Step(ExactModel.Epsilon(schedule, x0)(xt, torch.full([2], t, dtype: ScalarType.Int64)), t, xt);

        // With eta = 0 the same eps carries over: x_prev = sqrt(alphaBar_prev) x_0 + sqrt(1 - alphaBar_prev) eps.
        double alphaBarPrev = schedule.AlphaBarAt(previous);
        var expected = Math.Sqrt(alphaBarPrev) * x0 + Math.Sqrt(1 - alphaBarPrev) * eps;
        Assert.True(TensorCompare.MaxError(step.PreviousSample, expected) < 2e-6, $"off by {TensorCompare.MaxError(step.PreviousSample, expected)}");
        Assert.True(TensorCompare.MaxError(step.PredictedX0, x0) < 1e-3);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(25)]
    public void DdpmWithTheExactModelEndsOnX0(int steps)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear();
        var x0 = CleanVideo(9);
        var noise = torch.randn(VideoShape, generator: new Generator(10));
        var sampler = new DdpmSampler(schedule);
        int reports = 0;

        var result = DiffusionSampling.Run(ExactModel.Epsilon(schedule, x0), noise, sampler, steps,
            eta: 1.0, generator: new Generator(11), progress: p => { Assert.Equal(reports++, p.Step); Assert.Equal(steps, p.Steps); });

        Assert.Equal(steps, reports);
        Assert.Equal(0L, sampler.Timesteps[^1]);
        Assert.True(TensorCompare.MaxError(result, x0) < 1e-5, $"off by {TensorCompare.MaxError(result, x0)}");
    }

    [Theory]
    [InlineData(NoiseScheduleKind.Linear)]
    [InlineData(NoiseScheduleKind.Cosine)]
    public void DdpmStepWithoutNoiseIsThePosteriorMean(NoiseScheduleKind kind)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = new NoiseSchedule(new NoiseScheduleConfig(kind));
        var sampler = new DdpmSampler(schedule);
        var x0 = CleanVideo(21);
        var eps = torch.randn(VideoShape, generator: new Generator(22));
        var zeros = torch.zeros(VideoShape);
        foreach (int t in new[] { 999, 500, 20, 1, 0 })
        {
            var timesteps = torch.full([2], (long)t, dtype: ScalarType.Int64);
            var xt = schedule.AddNoise(x0, eps, timesteps);
            var step = sampler.Step(ExactModel.Epsilon(schedule, x0)(xt, timesteps), t, xt, 1.0, zeros);
            // Equation 4 with the schedule's own coefficients.
            var expected = schedule.PosteriorMeanCoefX0[t] * x0 + schedule.PosteriorMeanCoefXt[t] * xt;
            Assert.True(TensorCompare.MaxError(step.PreviousSample, expected) < 2e-5, $"t={t}: off by {TensorCompare.MaxError(step.PreviousSample, expected)}");
        }
    }

    [Fact]
    public void DdpmStepVarianceIsTheRespacedPosteriorVariance()
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Cosine();
        var zeros = torch.zeros(40_000);
        var generator = new Generator(12);

        foreach (int steps in new[] { 1000, 10 })
        {
            var sampler = new DdpmSampler(schedule);
            sampler.SetTimesteps(steps);
            foreach (long t in sampler.Timesteps.Where((_, i) => i % 3 == 0))
            {
                double alphaBarT = schedule.AlphaBar[(int)t];
                long previous = sampler.PreviousTimestep(t);
                double alphaBarPrev = previous < 0 ? 1.0 : schedule.AlphaBar[(int)previous];
                double respacedBeta = 1 - alphaBarT / alphaBarPrev;
                double expected = respacedBeta * (1 - alphaBarPrev) / (1 - alphaBarT);
                if (steps == 1000) Assert.Equal(schedule.PosteriorVariance[(int)t], expected, 1e-15);
                Assert.Equal(expected, sampler.PosteriorVariance(t), 1e-14);

                // x_t = 0 with eps = 0 predicts x_0 = 0, so the step is pure noise: its spread is sqrt(variance).
                var step = sampler.Step(zeros, t, zeros, generator: generator);
                double std = step.PreviousSample.std().item<float>();
                Assert.True(Math.Abs(std - Math.Sqrt(expected)) <= 0.02 * Math.Sqrt(expected) + 1e-7, $"t={t}, n={steps}: std {std} vs {Math.Sqrt(expected)}");
            }
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(20)]
    public void DdimAtEtaOneHasTheDdpmVariance(int steps)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear();
        var ddim = new DdimSampler(schedule);
        var ddpm = new DdpmSampler(schedule);
        ddim.SetTimesteps(steps);
        ddpm.SetTimesteps(steps);
        var sample = torch.randn(VideoShape, generator: new Generator(13));
        var output = torch.randn(VideoShape, generator: new Generator(14));
        var ones = torch.ones(VideoShape);
        var zeros = torch.zeros(VideoShape);

        foreach (long t in ddim.Timesteps.Where((_, i) => i % 7 == 1))
        {
            double sigma = ddim.Sigma(t, 1.0);
            Assert.Equal(ddpm.PosteriorVariance(t), sigma * sigma, 1e-14);
            // The noise enters both steps with coefficient sqrt(variance).
            var ddimSpread = ddim.Step(output, t, sample, 1.0, ones).PreviousSample - ddim.Step(output, t, sample, 1.0, zeros).PreviousSample;
            var ddpmSpread = ddpm.Step(output, t, sample, 1.0, ones).PreviousSample - ddpm.Step(output, t, sample, 1.0, zeros).PreviousSample;
            Assert.True(TensorCompare.MaxError(ddimSpread, torch.full_like(ones, sigma)) < 1e-6, $"t={t}");
            Assert.True(TensorCompare.MaxError(ddpmSpread, torch.full_like(ones, sigma)) < 1e-6, $"t={t}");
            // Unclipped, both means are the posterior mean, so the whole steps agree.
            Assert.True(TensorCompare.MaxError(ddim.Step(output, t, sample, 1.0, ones).PreviousSample, ddpm.Step(output, t, sample, 1.0, ones).PreviousSample) < 1e-4, $"t={t}");
            Assert.Equal(0.5 * sigma, ddim.Sigma(t, 0.5), 1e-15);
        }
    }

    [Theory]
    [InlineData(SamplerKind.Ddim)]
    [InlineData(SamplerKind.Ddpm)]
    public void GivenNoiseMatchesNoiseDrawnFromAnEquallySeededGenerator(SamplerKind kind)
    {
        using var scope = torch.NewDisposeScope();
        var sampler = DiffusionSamplers.Create(kind, NoiseSchedule.Linear());
        sampler.SetTimesteps(10);
        long t = sampler.Timesteps[2];
        var sample = torch.randn(VideoShape, generator: new Generator(15));
        var output = torch.randn(VideoShape, generator: new Generator(16));

        var drawn = sampler.Step(output, t, sample, 1.0, noise: null, generator: new Generator(17)).PreviousSample;
        var given = torch.randn(VideoShape, generator: new Generator(17));
        var passed = sampler.Step(output, t, sample, 1.0, given).PreviousSample;
        var passedAgain = sampler.Step(output, t, sample, 1.0, given).PreviousSample;
        var other = sampler.Step(output, t, sample, 1.0, noise: null, generator: new Generator(18)).PreviousSample;

        Assert.True(TensorCompare.Identical(drawn, passed));
        Assert.True(TensorCompare.Identical(passed, passedAgain));
        Assert.False(TensorCompare.Identical(drawn, other));
    }

    [Fact]
    public void ClippingBoundsThePredictedX0()
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear();
        var sample = torch.randn(VideoShape, generator: new Generator(19)) * 3;
        var output = torch.randn(VideoShape, generator: new Generator(20));
        var clipped = new DdimSampler(schedule).Step(output, 999, sample);
        var free = new DdimSampler(schedule, new SamplerOptions(ClipSample: false)).Step(output, 999, sample);

        Assert.True(clipped.PredictedX0.abs().max().item<float>() <= 1.0f);
        Assert.True(free.PredictedX0.abs().max().item<float>() > 1.0f);
    }

    [Theory]
    [InlineData(TimestepSpacing.Linspace, 1000, 4, new long[] { 999, 666, 333, 0 })]
    [InlineData(TimestepSpacing.Leading, 1000, 4, new long[] { 750, 500, 250, 0 })]
    [InlineData(TimestepSpacing.Trailing, 1000, 4, new long[] { 999, 749, 499, 249 })]
    [InlineData(TimestepSpacing.Linspace, 1000, 1, new long[] { 999 })]
    [InlineData(TimestepSpacing.Linspace, 5, 5, new long[] { 4, 3, 2, 1, 0 })]
    public void SpacingsPickTheDocumentedTimesteps(TimestepSpacing spacing, int trainSteps, int steps, long[] expected)
    {
        Assert.Equal(expected, SamplingTimesteps.Make(spacing, trainSteps, steps));
        foreach (var other in Enum.GetValues<TimestepSpacing>())
        {
            var all = SamplingTimesteps.Make(other, 1000, 999);
            Assert.Equal(999, all.Distinct().Count());
            Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First > pair.Second), $"{other} not descending");
        }
    }

    [Fact]
    public void BadArgumentsAreRejectedWithAClearMessage()
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear(100);
        var sampler = new DdimSampler(schedule);
        var sample = torch.zeros(1, 2, 3);

        Assert.Contains("1..100", Assert.Throws<ArgumentException>(() => sampler.SetTimesteps(0)).Message);
        Assert.Contains("1..100", Assert.Throws<ArgumentException>(() => sampler.SetTimesteps(101)).Message);
        foreach (double eta in new[] { -0.1, 1.5, double.NaN })
            Assert.Contains("eta", Assert.Throws<ArgumentException>(() => sampler.Step(sample, 99, sample, eta)).Message);
        Assert.Contains("0..99", Assert.Throws<ArgumentException>(() => sampler.Step(sample, 100, sample)).Message);
        Assert.Contains("0..99", Assert.Throws<ArgumentException>(() => sampler.Step(sample, -1, sample)).Message);
        sampler.SetTimesteps(10);
        Assert.Contains("not one of the 10", Assert.Throws<ArgumentException>(() => sampler.Step(sample, 98, sample)).Message);
        Assert.Contains("noise", Assert.Throws<ArgumentException>(() => sampler.Step(sample, 99, sample, 1.0, torch.zeros(1, 2, 4))).Message);
        Assert.Contains("modelOutput", Assert.Throws<ArgumentException>(() => sampler.Step(torch.zeros(2, 2, 3), 99, sample)).Message);
        Assert.Throws<ArgumentException>(() => new DdpmSampler(schedule).Step(sample, 99, sample, 2.0));
        Assert.Throws<ArgumentException>(() => DiffusionSampling.Run((x, t) => x, sample, sampler, 0));
        Assert.Throws<ArgumentException>(() => DiffusionSampling.Run((x, t) => x, sample, sampler, 5, eta: -1));
        Assert.Contains("clip_range", Assert.Throws<ArgumentException>(() => new DdimSampler(schedule, new SamplerOptions(ClipRange: 0))).Message);
    }
}
