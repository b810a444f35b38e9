using Decoupled.Generators.Diffusion;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>The shared loop: it is the manual Step loop, and a noise provider replaces the sampler's draws.</summary>
public class SamplingLoopTests
{
    public SamplingLoopTests() => TorchRuntime.Initialize();

    private static Tensor Model(Tensor xt, Tensor t) => 0.3 * xt + 0.001 * t.to(xt.dtype).reshape(-1, 1, 1, 1);

    [Fact]
    public void RunEqualsTheManualLoopWithProvidedNoise()
    {
        using var scope = torch.NewDisposeScope();
        var sampler = new DdimSampler(NoiseSchedule.Cosine(100));
        var start = torch.randn([2, 1, 3, 3], generator: new Generator(1));
        var noises = Enumerable.Range(0, 8).Select(i => torch.randn([2, 1, 3, 3], generator: new Generator((ulong)(100 + i)))).ToArray();
        var seen = new List<int>();

        var looped = DiffusionSampling.Run(Model, start, sampler, 8, eta: 0.7,
            noiseProvider: (i, like) => { seen.Add(i); Assert.Equal(like.shape, start.shape); return noises[i]; });

        var manual = start;
        for (int i = 0; i < sampler.Timesteps.Count; i++)
        {
            long t = sampler.Timesteps[i];
            manual = sampler.Step(Model(manual, torch.full([2], t, dtype: ScalarType.Int64)), t, manual, 0.7, noises[i]).PreviousSample;
        }

        Assert.Equal(Enumerable.Range(0, 8), seen);
        Assert.True(TensorCompare.Identical(looped, manual));
        Assert.False(start.IsInvalid);
    }

    [Fact]
    public void RunIsSeededByItsGenerator()
    {
        using var scope = torch.NewDisposeScope();
        var sampler = new DdpmSampler(NoiseSchedule.Linear(100));
        var start = torch.randn([2, 1, 3, 3], generator: new Generator(2));

        var first = DiffusionSampling.Run(Model, start, sampler, 10, generator: new Generator(3));
        var second = DiffusionSampling.Run(Model, start, sampler, 10, generator: new Generator(3));
        var third = DiffusionSampling.Run(Model, start, sampler, 10, generator: new Generator(4));

        Assert.True(TensorCompare.Identical(first, second));
        Assert.False(TensorCompare.Identical(first, third));
    }
}
