using Decoupled.Generators.Diffusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>q(x_t | x_0) per batch item, the parameterization conversions, and timestep checks.</summary>
public class ForwardProcessTests
{
    public ForwardProcessTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(new long[] { 3, 2, 4, 4 })]
    [InlineData(new long[] { 3, 2, 5, 4, 4 })]
    public void AddNoiseMixesEachItemWithItsOwnAlphaBar(long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Cosine();
        var generator = new Generator(1);
        var x0 = torch.rand(shape, generator: generator) * 2 - 1;
        var noise = torch.randn(shape, generator: generator);
        var t = torch.tensor(new long[] { 0, 420, 999 });

        var xt = schedule.AddNoise(x0, noise, t);
        var v = schedule.Velocity(x0, noise, t);

        Assert.Equal(shape, xt.shape);
        for (int b = 0; b < 3; b++)
        {
            double alphaBar = schedule.AlphaBar[(int)t[b].item<long>()];
            var expected = Math.Sqrt(alphaBar) * x0[b] + Math.Sqrt(1 - alphaBar) * noise[b];
            Assert.True(expected.allclose(xt[b], rtol: 1e-6, atol: 1e-6), $"item {b}");
            var expectedV = Math.Sqrt(alphaBar) * noise[b] - Math.Sqrt(1 - alphaBar) * x0[b];
            Assert.True(expectedV.allclose(v[b], rtol: 1e-6, atol: 1e-6), $"v of item {b}");
        }
    }

    [Fact]
    public void ConversionsRecoverX0EpsilonAndVelocity()
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear();
        var generator = new Generator(2);
        var x0 = torch.rand([4, 3, 2, 2], dtype: ScalarType.Float64, generator: generator) * 2 - 1;
        var eps = torch.randn([4, 3, 2, 2], dtype: ScalarType.Float64, generator: generator);
        var t = torch.tensor(new long[] { 5, 100, 600, 990 });
        var xt = schedule.AddNoise(x0, eps, t);
        var alphaBar = schedule.Extract(schedule.AlphaBar, t, x0);
        var v = Parameterization.VelocityFrom(x0, eps, alphaBar);

        foreach (var (kind, output) in new[] { (PredictionType.Epsilon, eps), (PredictionType.Sample, x0), (PredictionType.Velocity, v) })
        {
            Assert.True(Parameterization.ToX0(kind, output, xt, alphaBar).allclose(x0, rtol: 0, atol: 1e-9), $"x0 from {kind}");
            Assert.True(Parameterization.ToEpsilon(kind, output, xt, alphaBar).allclose(eps, rtol: 0, atol: 1e-9), $"eps from {kind}");
            Assert.True(Parameterization.Target(kind, x0, eps, alphaBar).allclose(output, rtol: 0, atol: 1e-12), $"target of {kind}");
        }
    }

    [Fact]
    public void BadTimestepsAreRejectedWithAClearMessage()
    {
        using var scope = torch.NewDisposeScope();
        var schedule = NoiseSchedule.Linear(100);
        var x0 = torch.zeros(2, 1, 2, 2);
        var noise = torch.zeros(2, 1, 2, 2);
        Assert.Contains("0..99", Assert.Throws<ArgumentException>(() => schedule.AddNoise(x0, noise, torch.tensor(new long[] { 0, 100 }))).Message);
        Assert.Contains("0..99", Assert.Throws<ArgumentException>(() => schedule.AddNoise(x0, noise, torch.tensor(new long[] { -1, 3 }))).Message);
        Assert.Contains("shape [2]", Assert.Throws<ArgumentException>(() => schedule.AddNoise(x0, noise, torch.tensor(new long[] { 1, 2, 3 }))).Message);
        Assert.Contains("integer", Assert.Throws<ArgumentException>(() => schedule.AddNoise(x0, noise, torch.tensor(new float[] { 1, 2 }))).Message);
        Assert.Contains("noise", Assert.Throws<ArgumentException>(() => schedule.AddNoise(x0, torch.zeros(2, 1, 2, 3), torch.tensor(new long[] { 1, 2 }))).Message);
    }
}
