using Decoupled.Decompositions;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// The three videos MOSO-VQVAE's encoders read, as <c>[B, 3, T, H, W]</c> tensors in [-1, 1].
/// </summary>
/// <param name="Video">The clips themselves (the reconstruction target).</param>
/// <param name="Scene">What the scene encoder reads: the preprocessed scene video early in training, raw frames afterwards.</param>
/// <param name="Object">What the object encoder reads, likewise.</param>
/// <param name="Motion">The motion encoder's input: the frame difference (see <see cref="MosoInputs.FrameDifference"/>).</param>
public sealed record MosoVideos(Tensor Video, Tensor Scene, Tensor Object, Tensor Motion) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Video.Dispose();
        Scene.Dispose();
        Object.Dispose();
        Motion.Dispose();
    }
}

/// <summary>Builds <see cref="MosoVideos"/> from clips (paper section 3.1.1 and appendix A).</summary>
public static class MosoInputs
{
    /// <summary>
    /// The motion video: <c>(x[t] - x[t-1]) / 2</c>, which stays in [-1, 1], with frame 0 all zero.
    /// Only the previous frame is used, so the motion of the first K frames depends on those frames
    /// alone; with working pools that split after frame K this is what makes equation 12 hold
    /// (the given frames' motion tokens are the same in the pseudo video and the target).
    /// The divisor is an explicit scalar, disposed after the call (see <c>ClipTensor.ToUnitRange_</c>):
    /// an implicit <c>/ 2</c> here crashed a 4x-grid VQ-VAE run after 760 steps with libtorch's
    /// "Expected false to be true" from <c>Scalar::toLong</c> inside <c>div</c>, and did not recur
    /// when the same steps were rerun, the signature of a scalar freed by the finalizer mid-call.
    /// </summary>
    public static Tensor FrameDifference(Tensor video)
    {
        using var scope = NewDisposeScope();
        using var two = 2.ToScalar();
        var difference = torch.zeros_like(video);
        long frames = video.shape[2];
        if (frames > 1)
            difference[.., .., TensorIndex.Slice(1)] = (video[.., .., TensorIndex.Slice(1)] - video[.., .., TensorIndex.Slice(0, frames - 1)]).div(two);
        return difference.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The encoders' inputs for <paramref name="clips"/>: with <paramref name="split"/>, the scene and
    /// object videos of the preprocessing (pixels with a moderate change are object, the rest scene);
    /// without, raw frames for both, as after the preprocessing phase of training.
    /// </summary>
    public static MosoVideos Build(IReadOnlyList<VideoClip> clips, MotionSceneObject? split)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var video = ClipTensor.ToBatch(clips);
        var motion = FrameDifference(video);
        if (split is null) return new MosoVideos(video, video.clone(), video.clone(), motion);
        var parts = clips.Select(split.Decompose).ToList();
        return new MosoVideos(video, ClipTensor.ToBatch(parts.Select(p => p.Scene).ToList()), ClipTensor.ToBatch(parts.Select(p => p.Object).ToList()), motion);
    }

    /// <summary>Raw-frame inputs for a video batch already in tensor form (prediction and tokenisation).</summary>
    public static MosoVideos FromTensor(Tensor video) => new(video.alias(), video.alias(), video.alias(), FrameDifference(video));
}
