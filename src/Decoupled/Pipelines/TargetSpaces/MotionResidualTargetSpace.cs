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
/// search range) concatenated with the residual's autoencoder latent (times
/// <see cref="LatentScale"/>), a tensor <c>[B, 2 + C, K-1, H/b, W/b]</c>. Decoding rounds and clamps
/// the vectors, decodes the latents to residuals, and lets the block-motion codec rebuild the
/// frames in order from the given first frame. The autoencoder is frozen here: it only encodes
/// training clips and decodes samples.
/// </summary>
public sealed class MotionResidualTargetSpace : IVideoTargetSpace
{
    private readonly ResidualVae vae;
    private readonly BlockMotion codec;

    /// <summary>A target space over <paramref name="codecOptions"/>' vectors and <paramref name="autoencoder"/>'s latents.</summary>
    public MotionResidualTargetSpace(ResidualVae autoencoder, BlockMotionOptions codecOptions, double latentScale)
    {
        ArgumentNullException.ThrowIfNull(autoencoder);
        ArgumentNullException.ThrowIfNull(codecOptions);
        if (autoencoder.Config.DownsamplingFactor != codecOptions.BlockSize)
            throw new ArgumentException($"the autoencoder shrinks frames {autoencoder.Config.DownsamplingFactor}x, the codec's blocks are {codecOptions.BlockSize} pixels: they must match");
        if (!(latentScale > 0)) throw new ArgumentOutOfRangeException(nameof(latentScale), "the latent scale must be positive");
        vae = autoencoder;
        codec = new BlockMotion(codecOptions);
        LatentScale = latentScale;
    }

    /// <summary>Factor on the latents (1 / their standard deviation on training residuals, as latent diffusion's scale factor).</summary>
    public double LatentScale { get; }

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

    /// <summary>Vectors lie in [-1, 1]; unit-variance latents rarely pass 5, so the clip only catches runaway predictions.</summary>
    public double SampleRange => 5.0;

    /// <inheritdoc />
    public Tensor Encode(Tensor video)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clips = ClipTensor.FromBatch(video);
        var parts = clips.Select(codec.Decompose).ToList();
        var vectors = stack(parts.Select(p => CodecTensors.Vectors(p.MotionVectors, Codec.SearchRange)).ToArray());   // [B, 2, T, h, w]
        var latents = EncodeResiduals(parts.Select(p => CodecTensors.Residuals(p.Residuals)).ToList());             // [B, C, T, h, w]
        return cat([vectors, latents], 1).MoveToOuterDisposeScope();
    }

    /// <summary>The scaled latent means of each clip's residual frames <c>[T, 3, H, W]</c>, as <c>[B, C, T, h, w]</c>.</summary>
    public Tensor EncodeResiduals(IReadOnlyList<Tensor> residualFrames)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = residualFrames.Count, t = residualFrames[0].shape[0];
        using var posterior = vae.Encode(cat(residualFrames.ToArray(), 0));
        var mean = posterior.Mean * LatentScale;                                      // [B*T, C, h, w]
        return mean.reshape(b, t, mean.shape[1], mean.shape[2], mean.shape[3]).permute(0, 2, 1, 3, 4).contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor target, Tensor firstFrame)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = target.shape[0], t = target.shape[2];
        int height = (int)firstFrame.shape[2], width = (int)firstFrame.shape[3];
        var latents = target.narrow(1, 2, TargetChannels - 2).permute(0, 2, 1, 3, 4).reshape(b * t, TargetChannels - 2, target.shape[3], target.shape[4]);
        var residualFrames = vae.Decode(latents / LatentScale).reshape(b, t, 3, height, width);
        var firsts = ClipTensor.FromBatch(firstFrame.unsqueeze(2));
        var clips = new List<Tensor>();
        for (int i = 0; i < b; i++)
        {
            var field = CodecTensors.Field(target[i].narrow(0, 0, 2), height, width, Codec.BlockSize, Codec.SearchRange);
            var residuals = CodecTensors.ResidualVideo(residualFrames[i]);
            clips.Add(ClipTensor.ToTensor(codec.Reconstruct(new BlockMotionParts(firsts[i], field, residuals))));
        }
        return stack(clips.ToArray()).MoveToOuterDisposeScope();
    }
}
