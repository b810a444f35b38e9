using Decoupled.Generators.Diffusion;
using Decoupled.Tests.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.VideoFusion;

/// <summary>Equations 12-13 against a hand computation, with stub generators.</summary>
public class DecomposedDenoiserTests
{
    [Fact]
    public void PredictionFollowsEquations12And13()
    {
        // Three frames (base frame 1), one pixel: z = [0.3, -0.8, 1.1], lambda = [0.36, 1, 0.64], sqrt(1 - alphaBar) = 0.6.
        var noise = new DecomposedNoise([0.36, 1.0, 0.64]);
        using var scope = NewDisposeScope();
        var z = torch.tensor(new float[] { 0.3f, -0.8f, 1.1f }).reshape(1, 1, 3, 1, 1);
        var indices = new List<long[]>();
        var prediction = DecomposedDenoiser.Predict(noise, z, torch.tensor(0.6),
            baseFrame => baseFrame * 2 + 0.5,                                   // zb = 2 (-0.8) + 0.5 = -1.1
            (zPrime, frames) =>
            {
                indices.Add(frames.data<long>().ToArray());
                return zPrime * 3 + frames.to(ScalarType.Float32).reshape(1, 1, -1, 1, 1);
            });

        double zb = -1.1;
        // Equation 12: z'_0 = 0.3 - 0.6 * 0.6 * zb, z'_2 = 1.1 - 0.8 * 0.6 * zb.
        double zPrime0 = 0.3 - 0.6 * 0.6 * zb, zPrime2 = 1.1 - 0.8 * 0.6 * zb;
        // Equation 13: eps_i = sqrt(lambda_i) zb + sqrt(1 - lambda_i) r_i, r_i = 3 z'_i + i.
        double[] expected = [0.6 * zb + 0.8 * (3 * zPrime0 + 0), zb, 0.8 * zb + 0.6 * (3 * zPrime2 + 2)];
        Assert.Equal([0L, 2L], Assert.Single(indices));
        var actual = prediction.Frames.reshape(-1).to(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 5);
        Assert.Equal(zb, prediction.BaseEpsilon.item<float>(), 5);
    }

    [Theory]
    [InlineData(SamplerKind.Ddpm)]
    [InlineData(SamplerKind.Ddim)]
    public void OracleGeneratorsSampleTheirClipThroughTheEngineWithDecomposedNoise(SamplerKind kind)
    {
        // Generators that know the one clip x*: the base returns the noise really in the base frame, the
        // residual the part of each other frame's noise that equation 13 leaves to it. Any error is the plumbing's.
        var schedule = NoiseSchedule.Cosine(200);
        var noise = new DecomposedNoise(DecomposedNoise.UniformLambda(4, 0.36));
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        var clip = torch.rand([1, 3, 4, 8, 8], generator: generator) * 1.6 - 0.8;
        var others = clip.index_select(2, torch.tensor(new long[] { 0, 1, 3 }));
        Func<Tensor, Tensor, Tensor> model = (z, t) =>
        {
            var alphaBar = schedule.Extract(schedule.AlphaBar, t, z);
            var sqrtOneMinus = (1 - alphaBar).sqrt();
            return DecomposedDenoiser.Predict(noise, z, sqrtOneMinus,
                baseFrame => (baseFrame - alphaBar.sqrt() * clip.narrow(2, 2, 1)) / sqrtOneMinus,
                (zPrime, _) => (zPrime - alphaBar.sqrt() * others) / (sqrtOneMinus * Math.Sqrt(1 - 0.36))).Frames;
        };
        var sampler = DiffusionSamplers.Create(kind, schedule);
        var initial = noise.Sample([1, 3, 4, 8, 8], generator);
        var result = DiffusionSampling.Run(model, initial, sampler, 50, noiseProvider: (_, sample) => noise.Sample(sample.shape, generator));
        Assert.True(TensorCompare.MaxError(result, clip) < 1e-3, $"max error {TensorCompare.MaxError(result, clip)}");
    }

    [Theory]
    [InlineData(PredictionType.Epsilon)]
    [InlineData(PredictionType.Velocity)]
    public void TheResidualGeneratorCanSeeTheBaseFramesEstimateWithoutItsGradient(PredictionType form)
    {
        // An oracle base generator (its eps or v of a known base frame x*) must hand the residual
        // generator x* itself, clamped to [-1, 1], detached from the base generator's weights.
        var noise = new DecomposedNoise([0.5, 1.0, 0.5]);
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        var x0 = torch.rand([2, 3, 1, 4, 4], generator: generator) * 2.4 - 1.2;   // beyond [-1, 1] on purpose
        var epsilon = torch.randn([2, 3, 1, 4, 4], generator: generator);
        double alphaBar = 0.3;
        double a = Math.Sqrt(alphaBar), sigma = Math.Sqrt(1 - alphaBar);
        var zBase = a * x0 + sigma * epsilon;
        var zt = torch.cat([torch.randn([2, 3, 1, 4, 4]), zBase, torch.randn([2, 3, 1, 4, 4])], 2);
        var weight = torch.tensor(1f).requires_grad_();
        Tensor? seen = null;
        Func<Tensor, Tensor, Tensor, Tensor> residual = (zPrime, _, baseEstimate) => { seen = baseEstimate.clone().DetachFromDisposeScope(); return zPrime * 0.5; };
        var prediction = form == PredictionType.Epsilon
            ? DecomposedDenoiser.Predict(noise, zt, torch.tensor(sigma), _ => epsilon * weight, residual)
            : DecomposedDenoiser.PredictVelocity(noise, zt, torch.tensor(alphaBar), _ => (a * epsilon - sigma * x0) * weight, residual);
        Assert.NotNull(seen);
        Assert.Equal(new long[] { 2, 3, 1, 4, 4 }, seen!.shape);
        Assert.True(TensorCompare.MaxError(seen, x0.clamp(-1, 1)) < 1e-5, $"max error {TensorCompare.MaxError(seen, x0.clamp(-1, 1))}");
        Assert.False(seen.requires_grad);
        Assert.True(prediction.Frames.isfinite().all().item<bool>());

        // At alphaBar = 0 the eps form's x0 is 0/0 or +-inf: the estimate stays finite in [-1, 1].
        var last = DecomposedDenoiser.Predict(noise, zt, torch.tensor(1.0), _ => epsilon, residual);
        Assert.True(seen.isfinite().all().item<bool>() && seen.abs().max().item<float>() <= 1);
        Assert.True(last.Frames.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheStopGradientKeepsTheNonBaseFramesFromTheBaseGenerator(bool stopGradient)
    {
        var noise = new DecomposedNoise([0.5, 1.0, 0.5]);
        using var scope = NewDisposeScope();
        var weight = torch.tensor(1.5f).requires_grad_();
        var residualWeight = torch.tensor(0.7f).requires_grad_();
        var z = torch.randn([2, 1, 3, 2, 2]);
        var prediction = DecomposedDenoiser.Predict(noise, z, torch.tensor(0.9),
            baseFrame => baseFrame * weight, (zPrime, _) => zPrime * residualWeight, stopGradient);
        // Only the non-base frames' loss terms.
        var loss = prediction.Frames.narrow(2, 0, 1).square().sum() + prediction.Frames.narrow(2, 2, 1).square().sum();
        loss.backward();
        Assert.NotNull(residualWeight.grad);
        if (stopGradient) Assert.True(weight.grad is null || weight.grad.abs().item<float>() == 0);
        else Assert.True(weight.grad!.abs().item<float>() > 0);
    }

    [Theory]
    [InlineData(0.36)]
    [InlineData(0.97)]
    public void TheVelocityFormIsEquation13ExpressedInV(double alphaBarValue)
    {
        // Stub generators give v_b and v'_i; the eps form built by hand from them (b^ from v_b,
        // r^_i from v'_i, equation 13) converted to v = (eps - sqrt(1 - alphaBar) z) / sqrt(alphaBar) must match.
        double[] lambda = [0.36, 1.0, 0.64];
        var noise = new DecomposedNoise(lambda);
        using var scope = NewDisposeScope();
        double[] z = [0.3, -0.8, 1.1];
        var zt = torch.tensor(z.Select(v => (float)v).ToArray()).reshape(1, 1, 3, 1, 1);
        var prediction = DecomposedDenoiser.PredictVelocity(noise, zt, torch.tensor(alphaBarValue),
            baseFrame => baseFrame * 2 + 0.5,
            (zPrime, frames) => zPrime * 3 + frames.to(ScalarType.Float32).reshape(1, 1, -1, 1, 1));

        double a = Math.Sqrt(alphaBarValue), sigma = Math.Sqrt(1 - alphaBarValue);
        double vb = 2 * z[1] + 0.5;
        double bHat = a * vb + sigma * z[1];
        double VelocityOf(int i)
        {
            double zPrime = z[i] - Math.Sqrt(lambda[i]) * sigma * bHat;
            double vPrime = 3 * zPrime + i;
            double s = sigma * Math.Sqrt(1 - lambda[i]), c = Math.Sqrt(a * a + s * s);
            double rHat = (s * zPrime + a * c * vPrime) / (c * c);
            double epsilon = Math.Sqrt(lambda[i]) * bHat + Math.Sqrt(1 - lambda[i]) * rHat;
            return (epsilon - sigma * z[i]) / a;
        }
        var actual = prediction.Frames.reshape(-1).to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(VelocityOf(0), actual[0], 4);
        Assert.Equal(vb, actual[1], 5);
        Assert.Equal(VelocityOf(2), actual[2], 4);
        Assert.Equal(bHat, prediction.BaseEpsilon.item<float>(), 5);

        // At alphaBar = 0 (nothing divides by sqrt(alphaBar)) every frame's v is finite.
        var last = DecomposedDenoiser.PredictVelocity(noise, zt, torch.tensor(0.0), f => f * 2, (zPrime, _) => zPrime * 3);
        Assert.True(last.Frames.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(SamplerKind.Ddpm)]
    [InlineData(SamplerKind.Ddim)]
    public void OracleVelocityGeneratorsSampleTheirClip(SamplerKind kind)
    {
        // The v-form's oracles: v_b of the base frame, and v'_i = (a r_i - s_i x0_i) / c_i of z'_i's own mix.
        var schedule = NoiseSchedule.Cosine(200);
        double lambda = 0.36;
        var noise = new DecomposedNoise(DecomposedNoise.UniformLambda(4, lambda));
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        var clip = torch.rand([1, 3, 4, 8, 8], generator: generator) * 1.6 - 0.8;
        var others = clip.index_select(2, torch.tensor(new long[] { 0, 1, 3 }));
        Func<Tensor, Tensor, Tensor> model = (z, t) =>
        {
            var alphaBar = schedule.Extract(schedule.AlphaBar, t, z);
            var a = alphaBar.sqrt();
            var sigma = (1 - alphaBar).sqrt();
            var s = sigma * Math.Sqrt(1 - lambda);
            var c = (a.square() + s.square()).sqrt();
            return DecomposedDenoiser.PredictVelocity(noise, z, alphaBar,
                baseFrame => (a * baseFrame - clip.narrow(2, 2, 1)) / sigma,
                (zPrime, _) => (a * (zPrime - a * others) / s - s * others) / c).Frames;
        };
        var sampler = DiffusionSamplers.Create(kind, schedule, new SamplerOptions(PredictionType.Velocity));
        var initial = noise.Sample([1, 3, 4, 8, 8], generator);
        var result = DiffusionSampling.Run(model, initial, sampler, 50, noiseProvider: (_, sample) => noise.Sample(sample.shape, generator));
        Assert.True(TensorCompare.MaxError(result, clip) < 1e-3, $"max error {TensorCompare.MaxError(result, clip)}");
    }
}
