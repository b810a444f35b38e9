using Decoupled.Generators.Diffusion;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>How <see cref="VideoFusionModel.Sample"/> generates.</summary>
public sealed record VideoFusionSampleOptions
{
    /// <summary>Denoising steps.</summary>
    public int Steps { get; init; } = 50;

    /// <summary>DDIM (Table 8) or DDPM (Algorithm 1).</summary>
    public SamplerKind Sampler { get; init; } = SamplerKind.Ddim;

    /// <summary>Classifier-free guidance scale w (1: plain conditional; Table 8 uses 3).</summary>
    public double Guidance { get; init; } = 3.0;

    /// <summary>DDIM eta (0: deterministic).</summary>
    public double Eta { get; init; }

    /// <summary>Frames to generate; more than the model's N extends the video chunk by chunk (section 4.6). Null: N.</summary>
    public int? Frames { get; init; }

    /// <summary>
    /// Long videos: frames of the previous chunk that condition the next one (replacement method). Null:
    /// floor(N/2) + 1, so the base frame of every new chunk is a known frame.
    /// </summary>
    public int? ContextFrames { get; init; }
}
