namespace Decoupled.Generators.Diffusion;

/// <summary>The samplers a user can name (<c>--sampler ddim|ddpm</c>).</summary>
public enum SamplerKind
{
    /// <summary><see cref="DdimSampler"/>.</summary>
    Ddim,

    /// <summary><see cref="DdpmSampler"/>.</summary>
    Ddpm,
}

/// <summary>Builds a sampler from its <see cref="SamplerKind"/>.</summary>
public static class DiffusionSamplers
{
    /// <summary>A new sampler of kind <paramref name="kind"/> over <paramref name="schedule"/>.</summary>
    public static IDiffusionSampler Create(SamplerKind kind, NoiseSchedule schedule, SamplerOptions? options = null) => kind switch
    {
        SamplerKind.Ddim => new DdimSampler(schedule, options),
        SamplerKind.Ddpm => new DdpmSampler(schedule, options),
        _ => throw new ArgumentException($"unknown sampler {kind}.", nameof(kind)),
    };
}
