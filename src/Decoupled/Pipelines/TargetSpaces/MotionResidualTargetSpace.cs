using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>
/// ED-VDM's target (equation 8): per P-frame, the block motion vectors (2 channels, divided by the
/// search range, times <see cref="VectorScale"/>) concatenated with the residual's autoencoder latent (times
/// <see cref="LatentScale"/>), a tensor <c>[B, 2 + C, K-1, H/b, W/b]</c>. Decoding rounds and clamps
/// the vectors, decodes the latents to residuals, and lets the block-motion codec rebuild the
/// frames in order from the given first frame. The autoencoder is frozen here: it only encodes
/// training clips and decodes samples.
/// </summary>
public sealed class MotionResidualTargetSpace : IVideoTargetSpace, IDeadZoneDecoding
{
    private readonly ResidualVae vae;
    private readonly BlockMotion codec;

    /// <summary>A target space over <paramref name="codecOptions"/>' vectors and <paramref name="autoencoder"/>'s latents.</summary>
    public MotionResidualTargetSpace(ResidualVae autoencoder, BlockMotionOptions codecOptions, double latentScale, double vectorScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(autoencoder);
        ArgumentNullException.ThrowIfNull(codecOptions);
        if (autoencoder.Config.DownsamplingFactor != codecOptions.BlockSize)
            throw new ArgumentException($"the autoencoder shrinks frames {autoencoder.Config.DownsamplingFactor}x, the codec's blocks are {codecOptions.BlockSize} pixels: they must match");
        if (!(latentScale > 0)) throw new ArgumentOutOfRangeException(nameof(latentScale), "the latent scale must be positive");
        if (!(vectorScale > 0 && double.IsFinite(vectorScale))) throw new ArgumentOutOfRangeException(nameof(vectorScale), "the vector scale must be a positive number");
        vae = autoencoder;
        codec = new BlockMotion(codecOptions);
        LatentScale = latentScale;
        VectorScale = vectorScale;
    }

    /// <summary>Factor on the latents (1 / their standard deviation on training residuals, as latent diffusion's scale factor).</summary>
    public double LatentScale { get; }

    /// <summary>
    /// Factor on the vectors (after dividing by the search range). On footage where most blocks
    /// stand still, vectors in [-1, 1] have a standard deviation of a few hundredths, so at almost
    /// every timestep they are buried in noise that the unit-variance latents survive, and the
    /// sampler decides the motion only in its last steps; a unit-variance factor (the CLI's
    /// default) gives both parts the same signal-to-noise ratio, as D-VDM's difference scale does.
    /// </summary>
    public double VectorScale { get; }

    /// <summary>
    /// Decoding only: a block whose residual latent is smaller than this (RMS over its channels, in
    /// the scaled units) gets no residual at all. 0 (the default) decodes every latent.
    /// </summary>
    public double DeadZone
    {
        get => deadZone;
        set => deadZone = DeadZoneMask.Validated(value);
    }

    private double deadZone;

    /// <summary>The codec's settings.</summary>
    public BlockMotionOptions Codec => codec.Options;

    /// <inheritdoc />
    public string Name => "motion-residuals";

    /// <inheritdoc />
    public int TargetChannels => 2 + vae.Config.LatentChannels;

    /// <inheritdoc />
    public int TargetFrames(int frames) => frames - 1;

    /// <inheritdoc />
    public int SpatialFactor => Codec.BlockSize;

    /// <summary>Vectors lie in +-<see cref="VectorScale"/>; unit-variance latents rarely pass 5, so the clip only catches runaway predictions.</summary>
    public double SampleRange => Math.Max(5.0, VectorScale);

    /// <inheritdoc />
    /// <remarks>
    /// The residuals are coded in the codec's loop (as an H.264 encoder does): each P-frame's
    /// residual is taken against the previous frame as the decoder will rebuild it from the
    /// autoencoded residuals, so the latents also carry the correction of earlier coding errors and
    /// decoding the exact target does not drift.
    /// </remarks>
    public Tensor Encode(Tensor video)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clips = ClipTensor.FromBatch(video);
        int height = clips[0].Height, width = clips[0].Width;
        var latentFrames = new Tensor[clips[0].Frames - 1];
        var parts = codec.Decompose(clips, ResidualCoders.Autoencoder(vae, height, width, (t, mean) => latentFrames[t] = mean));
        var vectors = stack(parts.Select(p => CodecTensors.Vectors(p.MotionVectors, Codec.SearchRange)).ToArray()) * VectorScale;   // [B, 2, T, h, w]
        var latents = stack(latentFrames, 2) * LatentScale;                                                            // [B, C, T, h, w]
        return cat([vectors, latents], 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <remarks>The autoencoder's reconstruction of the plain frame differences (halved into its [-1, 1] residual range).</remarks>
    public Tensor EncodingProbe(Tensor video)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long frames = video.shape[2];
        var differences = (video.narrow(2, 1, frames - 1) - video.narrow(2, 0, frames - 1)) / 2;   // [B, 3, K-1, H, W]
        var asFrames = differences.transpose(1, 2).reshape(-1, video.shape[1], video.shape[3], video.shape[4]);
        return vae.call(asFrames).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor target, Tensor firstFrame)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = target.shape[0], t = target.shape[2];
        int height = (int)firstFrame.shape[2], width = (int)firstFrame.shape[3];
        var latents = target.narrow(1, 2, TargetChannels - 2).permute(0, 2, 1, 3, 4).reshape(b * t, TargetChannels - 2, target.shape[3], target.shape[4]);
        Tensor? kept = null;
        if (deadZone > 0)
        {
            kept = DeadZoneMask.KeepMask(latents, deadZone);   // [B*T, 1, h, w]
            latents = latents * kept;
        }
        var residualFrames = vae.Decode(latents / LatentScale);
        if (kept is not null)
            residualFrames = residualFrames * kept.repeat_interleave(Codec.BlockSize, 2).repeat_interleave(Codec.BlockSize, 3);
        residualFrames = residualFrames.reshape(b, t, 3, height, width);
        var firsts = ClipTensor.FromBatch(firstFrame.unsqueeze(2));
        var clips = new List<Tensor>();
        for (int i = 0; i < b; i++)
        {
            var field = CodecTensors.Field(target[i].narrow(0, 0, 2) / VectorScale, height, width, Codec.BlockSize, Codec.SearchRange);
            var residuals = CodecTensors.ResidualVideo(residualFrames[i]);
            clips.Add(ClipTensor.ToTensor(codec.Reconstruct(new BlockMotionParts(firsts[i], field, residuals))));
        }
        return stack(clips.ToArray()).MoveToOuterDisposeScope();
    }
}
