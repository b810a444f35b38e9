using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Conditioning;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// The reverse process of VideoFusion on the shared engine: the network's eps of equations 12-13
/// (guided), the existing DDPM/DDIM samplers, and decomposed noise passed through the sampler's noise
/// argument (Algorithm 1), for one chunk of N frames or, chunk after chunk, for a longer video.
/// </summary>
internal sealed class VideoFusionSampling(VideoFusionNetwork network, NoiseSchedule schedule, DecomposedNoise noise, bool stopGradient,
    PredictionType parameterization = PredictionType.Epsilon)
{
    private const ulong SamplingNoise = 0;
    private const ulong ReplacementNoise = 1;

    /// <summary>
    /// The guided prediction (eps of equation 13, or its v-form) for a noisy clip: classifier-free
    /// guidance combines the whole conditional and unconditional predictions (<paramref name="unconditional"/> null: no guidance).
    /// </summary>
    public Func<Tensor, Tensor, Tensor> Denoiser(UNetConditioning conditional, UNetConditioning? unconditional, double guidance)
    {
        Func<Tensor, Tensor, Tensor> model = (z, t) => Predict(z, t, conditional);
        return unconditional is null ? model : ClassifierFreeGuidance.Guide(model, (z, t) => Predict(z, t, unconditional), guidance);
    }

    /// <summary>Equations 12-13 (eps) or <c>DecomposedDenoiser.PredictVelocity</c> (v) with the network's two generators.</summary>
    public Tensor Predict(Tensor z, Tensor t, UNetConditioning conditioning)
    {
        using var scope = NewDisposeScope();
        Func<Tensor, Tensor> baseGenerator = baseFrame => network.PredictBase(baseFrame, t, conditioning);
        Func<Tensor, Tensor, Tensor, Tensor> residualGenerator = (zPrime, frames, baseEstimate) =>
            network.PredictResidual(zPrime, t, frames, conditioning, network.ResidualSeesBase ? baseEstimate : null);
        var prediction = parameterization switch
        {
            PredictionType.Epsilon => DecomposedDenoiser.Predict(noise, z, schedule.Extract(schedule.SqrtOneMinusAlphaBar, t, z), baseGenerator, residualGenerator, stopGradient),
            PredictionType.Velocity => DecomposedDenoiser.PredictVelocity(noise, z, schedule.Extract(schedule.AlphaBar, t, z), baseGenerator, residualGenerator, stopGradient),
            var other => throw new NotSupportedException($"VideoFusion's generators predict eps or v, not {other}"),
        };
        return prediction.Frames.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Generates <paramref name="frames"/> frames per seed: one chunk of N, then chunks conditioned on the
    /// last <paramref name="context"/> frames so far (replacement method, section 4.6) with the base noise
    /// kept fixed, until the video is long enough. Returns x_0 <c>[B, C, frames, H, W]</c>.
    /// </summary>
    public Tensor Generate(Func<Tensor, Tensor, Tensor> denoiser, IReadOnlyList<NoiseSeeds> seeds, long[] chunkShape, int frames, int context,
        IDiffusionSampler sampler, int steps, double eta, Action<SamplingProgress>? progress)
    {
        using var scope = NewDisposeScope();
        int n = noise.Frames;
        var video = Chunk(denoiser, seeds, chunkShape, chunk: 0, known: null, sampler, steps, eta, progress);
        for (long chunk = 1; video.shape[2] < frames; chunk++)
        {
            var known = video.narrow(2, video.shape[2] - context, context);
            var next = Chunk(denoiser, seeds, chunkShape, chunk, known, sampler, steps, eta, progress);
            video = torch.cat([video, next.narrow(2, context, n - context)], 2);
        }
        return video.narrow(2, 0, frames).contiguous().MoveToOuterDisposeScope();
    }

    private Tensor Chunk(Func<Tensor, Tensor, Tensor> denoiser, IReadOnlyList<NoiseSeeds> seeds, long[] shape, long chunk, Tensor? known,
        IDiffusionSampler sampler, int steps, double eta, Action<SamplingProgress>? progress)
    {
        using var scope = NewDisposeScope();
        using var freshNoise = new ControlledNoise(noise, seeds, chunk, SamplingNoise);
        // z_T is decomposed too (Algorithm 1, first loop).
        var initial = freshNoise.Next(shape[1], shape[3], shape[4]);
        using var replacementNoise = known is null ? null : new ControlledNoise(noise, seeds, chunk, ReplacementNoise);
        var model = known is null ? denoiser : Replacing(denoiser, known, replacementNoise!);
        var x0 = DiffusionSampling.Run(model, initial, sampler, steps, eta,
            noiseProvider: (_, _) => freshNoise.Next(shape[1], shape[3], shape[4]), progress: progress);
        if (known is not null)
            x0 = torch.cat([known, x0.narrow(2, known.shape[2], shape[2] - known.shape[2])], 2);
        return x0.MoveToOuterDisposeScope();
    }

    // The replacement method: before every denoiser call, the known frames' latents become the known
    // frames noised to step t (with decomposed noise of the same fixed base), so the new frames are
    // denoised next to them. The samplers' updates act frame by frame, so what they do to the known
    // frames' latents is simply overwritten at the next step.
    private Func<Tensor, Tensor, Tensor> Replacing(Func<Tensor, Tensor, Tensor> denoiser, Tensor known, ControlledNoise replacementNoise) => (z, t) =>
    {
        using var scope = NewDisposeScope();
        long context = known.shape[2];
        var epsilon = replacementNoise.Next(z.shape[1], z.shape[3], z.shape[4]).narrow(2, 0, context);
        var noisedKnown = schedule.AddNoise(known, epsilon.contiguous(), t);
        var replaced = torch.cat([noisedKnown, z.narrow(2, context, z.shape[2] - context)], 2);
        return denoiser(replaced, t).MoveToOuterDisposeScope();
    };
}
