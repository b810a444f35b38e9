using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>
/// The upper bound of ED-VDM's decoding (the paper's Table 2): a clip rebuilt by the codec from
/// its first frame, its exact motion vectors and compressed residuals, the residuals passing
/// through the autoencoder (or, for Table 5's baseline, a block DCT with the same budget). The
/// coder sits inside the codec's loop as in H.264 (each residual is taken against the previous
/// *rebuilt* frame, so a coding error is corrected by the next residual rather than drifting),
/// which is how ED-VDM's training targets are made too.
/// </summary>
public static class ResidualReconstruction
{
    /// <summary>The clip with every residual replaced by <c>D(mean of E(residual))</c>.</summary>
    public static VideoClip WithAutoencoder(VideoClip clip, ResidualVae vae, BlockMotionOptions codec)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(vae);
        return Rebuild(clip, codec, ResidualCoders.Autoencoder(vae, clip.Height, clip.Width));
    }

    /// <summary>The clip with every residual block reduced to <paramref name="coefficients"/> DCT coefficients.</summary>
    public static VideoClip WithDct(VideoClip clip, BlockMotionOptions codec, int coefficients)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(codec);
        return Rebuild(clip, codec, ResidualCoders.Dct(codec.BlockSize, coefficients, clip.Height, clip.Width));
    }

    private static VideoClip Rebuild(VideoClip clip, BlockMotionOptions codec, ResidualCoder coder)
    {
        var motion = new BlockMotion(codec);
        return motion.Reconstruct(motion.Decompose([clip], coder)[0]);
    }
}
