using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>
/// A network that turns a batch of clips into one feature vector per clip: I3D for FVD and KVD.
/// The metric pipeline depends only on this interface, so tests can score with a small module and
/// users with the published network (<see cref="I3dFeatureExtractor"/>).
/// </summary>
public interface IVideoFeatureExtractor : IDisposable
{
    /// <summary>
    /// Features <c>[B, d]</c> (any float type, on the CPU) of clips <c>[B, 3, T, H, W]</c> given as
    /// <c>uint8</c> in 0..255, the input StyleGAN-V feeds its detector. The caller disposes both tensors.
    /// </summary>
    Tensor Features(Tensor clips);
}
