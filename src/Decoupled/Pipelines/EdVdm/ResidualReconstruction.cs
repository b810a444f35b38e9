using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>
/// The upper bound of ED-VDM's decoding (the paper's Table 2): a clip rebuilt by the codec from
/// its first frame, its exact motion vectors and compressed residuals, the residuals passing
/// through the autoencoder (or, for Table 5's baseline, a block DCT with the same budget). Frames
/// are rebuilt in order, each from the previous rebuilt frame, so errors carry forward as they
/// do for generated videos.
/// </summary>
public static class ResidualReconstruction
{
    /// <summary>The clip with every residual replaced by <c>D(mean of E(residual))</c>.</summary>
    public static VideoClip WithAutoencoder(VideoClip clip, ResidualVae vae, BlockMotionOptions codec)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(vae);
        var motion = new BlockMotion(codec);
        var parts = motion.Decompose(clip);
        SignedVideo residuals;
        using (no_grad())
        using (var scope = NewDisposeScope())
            residuals = CodecTensors.ResidualVideo(vae.call(CodecTensors.Residuals(parts.Residuals)));
        return motion.Reconstruct(parts with { Residuals = residuals });
    }

    /// <summary>The clip with every residual block reduced to <paramref name="coefficients"/> DCT coefficients.</summary>
    public static VideoClip WithDct(VideoClip clip, BlockMotionOptions codec, int coefficients)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(codec);
        var motion = new BlockMotion(codec);
        var parts = motion.Decompose(clip);
        var residuals = new BlockDct(codec.BlockSize).Compress(parts.Residuals, coefficients);
        return motion.Reconstruct(parts with { Residuals = residuals });
    }
}
