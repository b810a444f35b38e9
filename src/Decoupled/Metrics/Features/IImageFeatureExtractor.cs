using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>
/// A network that scores single images: Inception-v3 for FID (pool features) and IS (class
/// probabilities). The metric pipeline depends only on this interface (see <see cref="InceptionFeatureExtractor"/>).
/// </summary>
public interface IImageFeatureExtractor : IDisposable
{
    /// <summary>Features <c>[N, d]</c> of images <c>[N, 3, H, W]</c> given as <c>uint8</c> in 0..255 (FID's input). The caller disposes both tensors.</summary>
    Tensor Features(Tensor images);

    /// <summary>Class probabilities <c>[N, classes]</c>, rows summing to 1, of images <c>[N, 3, H, W]</c> as <c>uint8</c> (the Inception Score's input).</summary>
    Tensor Probabilities(Tensor images);
}
