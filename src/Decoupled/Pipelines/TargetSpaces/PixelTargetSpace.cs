using static TorchSharp.torch;

namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>
/// VDM's target: the raw RGB frames, all K of them (the first frame is given as a condition through
/// the first-frame encoder but still generated, so how well the model copies it is measurable).
/// </summary>
public sealed class PixelTargetSpace : IVideoTargetSpace
{
    /// <inheritdoc />
    public string Name => "pixels";

    /// <inheritdoc />
    public int TargetChannels => 3;

    /// <inheritdoc />
    public int TargetFrames(int frames) => frames;

    /// <inheritdoc />
    public double SampleRange => 1.0;

    /// <inheritdoc />
    public Tensor Encode(Tensor video) => video.alias();

    /// <inheritdoc />
    public Tensor Decode(Tensor target, Tensor firstFrame) => target.clamp(-1, 1);
}
