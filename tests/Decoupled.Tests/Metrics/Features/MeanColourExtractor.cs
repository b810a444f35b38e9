using Decoupled.Metrics.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Metrics.Features;

/// <summary>
/// A small TorchSharp stand-in for I3D and Inception behind the same interfaces: features are the
/// per-channel means in [0, 1] and their pairwise products (6 numbers), probabilities their softmax.
/// </summary>
internal sealed class MeanColourExtractor : IVideoFeatureExtractor, IImageFeatureExtractor
{
    public Tensor Features(Tensor input)
    {
        using var scope = NewDisposeScope();
        var dims = Enumerable.Range(2, (int)input.dim() - 2).Select(d => (long)d).ToArray();
        var m = input.to(ScalarType.Float64).mean(dims) / 255.0;
        var r = m[.., 0]; var g = m[.., 1]; var b = m[.., 2];
        return stack([r, g, b, r * g, g * b, r * b], 1).MoveToOuterDisposeScope();
    }

    public Tensor Probabilities(Tensor images)
    {
        using var features = Features(images);
        return features.softmax(1);
    }

    public void Dispose() { }
}
