using static TorchSharp.torch;

namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>
/// What a video diffusion model diffuses: a reversible map from a clip <c>[B, 3, K, H, W]</c> in
/// [-1, 1] to the diffusion target x0, and back given the first frame (the content). VDM diffuses
/// pixels, D-VDM frame differences, ED-VDM motion vectors plus residual latents.
/// </summary>
public interface IVideoTargetSpace
{
    /// <summary>Name stored in configs ("pixels", "frame-differences", ...).</summary>
    string Name { get; }

    /// <summary>Channels of the target for an RGB clip.</summary>
    int TargetChannels { get; }

    /// <summary>Frames of the target for a clip of <paramref name="frames"/> frames.</summary>
    int TargetFrames(int frames);

    /// <summary>How much smaller the target is than the frame on each side (1, or the block size of ED-VDM).</summary>
    int SpatialFactor => 1;

    /// <summary>Largest |x0| a valid target can have; samplers clip their x0 predictions to it.</summary>
    double SampleRange { get; }

    /// <summary>The target x0 of a clip batch.</summary>
    Tensor Encode(Tensor video);

    /// <summary>
    /// A continuous function of <paramref name="video"/> through the same networks as
    /// <see cref="Encode"/>, for the oneDNN forward check: an encoding that makes discrete choices
    /// (ED-VDM's motion search, rounding) can turn a 1e-6 kernel difference into a different vector.
    /// </summary>
    Tensor EncodingProbe(Tensor video) => Encode(video);

    /// <summary>The clip batch rebuilt from a (generated) target and the given first frames <c>[B, 3, H, W]</c>.</summary>
    Tensor Decode(Tensor target, Tensor firstFrame);
}
