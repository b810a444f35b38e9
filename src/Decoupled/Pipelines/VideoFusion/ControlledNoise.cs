using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// Decomposed noise for sampling with one base-noise generator and one residual-noise generator per
/// video, seeded from its <see cref="NoiseSeeds"/>: every draw (z_T, then each step's fresh noise,
/// equation 10 and Algorithm 1) takes b from the base generators and r from the residual ones, so a
/// video's base frame depends on its base seed alone. The base stream ignores <c>chunk</c>, which is
/// what keeps the base noise fixed across the chunks of a long video (section 4.6).
/// </summary>
internal sealed class ControlledNoise : IDisposable
{
    private const ulong BaseStream = 60;
    private const ulong ResidualStream = 61;
    private readonly DecomposedNoise noise;
    private readonly Generator[] baseGenerators;
    private readonly Generator[] residualGenerators;

    /// <summary>Generators for <paramref name="seeds"/>; <paramref name="purpose"/> separates independent uses (sampling, replacement).</summary>
    public ControlledNoise(DecomposedNoise noise, IReadOnlyList<NoiseSeeds> seeds, long chunk, ulong purpose)
    {
        this.noise = noise;
        baseGenerators = seeds.Select(s => StepRandom.Generator(s.Base, 0, BaseStream + 2 * purpose)).ToArray();
        residualGenerators = seeds.Select(s => StepRandom.Generator(s.Residual, chunk, ResidualStream + 2 * purpose)).ToArray();
    }

    /// <summary>Decomposed noise <c>[B, channels, N, height, width]</c>, one video per seed.</summary>
    public Tensor Next(long channels, long height, long width)
    {
        using var scope = NewDisposeScope();
        var b = torch.cat(baseGenerators.Select(g => torch.randn([1, channels, 1, height, width], generator: g)).ToList(), 0);
        var r = torch.cat(residualGenerators.Select(g => torch.randn([1, channels, noise.Frames, height, width], generator: g)).ToList(), 0);
        return noise.Compose(b, r).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var g in baseGenerators.Concat(residualGenerators)) g.Dispose();
    }
}
