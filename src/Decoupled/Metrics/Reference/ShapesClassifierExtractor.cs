using Decoupled.Tensors;
using Decoupled.Metrics.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Reference;

/// <summary>
/// A trained <see cref="ShapesClassifier"/> as a metric network: <see cref="Features"/> for a
/// Frechet distance (the FVD machinery runs on it unchanged) and <see cref="Classify"/> for its
/// accuracy on generated clips. It owns the network and disposes it.
/// </summary>
public sealed class ShapesClassifierExtractor : IVideoFeatureExtractor
{
    private readonly ShapesClassifier network;

    /// <summary>Wraps <paramref name="network"/> (put in eval mode; this object now owns it).</summary>
    public ShapesClassifierExtractor(ShapesClassifier network)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        network.eval();
    }

    /// <summary>The network's shape, including the clip size it scores.</summary>
    public ShapesClassifierConfig Config => network.Config;

    /// <summary>
    /// Features <c>[B, FeatureDim]</c> (float32) of clips <c>[B, 3, T, H, W]</c> given as <c>uint8</c>
    /// in 0..255, the input <see cref="IVideoFeatureExtractor"/> prescribes. The caller disposes both tensors.
    /// </summary>
    public Tensor Features(Tensor clips)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        return network.Features(Scaled(clips)).MoveToOuterDisposeScope();
    }

    /// <summary>Features and logits <c>[B, Classes]</c> of <c>uint8</c> clips, in one pass (caller disposes).</summary>
    public (Tensor Features, Tensor Logits) Classify(Tensor clips)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (features, logits) = network.FeaturesAndLogits(Scaled(clips));
        return (features.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    // Bytes to [-1, 1] with the same float operations as Tensors.ClipTensor, which fed training:
    // the features of a clip are then the same whichever route it came by.
    private Tensor Scaled(Tensor clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var c = network.Config;
        if (clips.dim() != 5 || clips.shape[1] != 3 || clips.shape[2] != c.Frames || clips.shape[3] != c.Height || clips.shape[4] != c.Width)
            throw new ArgumentException($"the classifier scores clips [B, 3, {c.Frames}, {c.Height}, {c.Width}], got [{string.Join(", ", clips.shape)}]");
        // A copy first: a float input would otherwise be scaled in place.
        return ClipTensor.ToUnitRange_(clips.to_type(ScalarType.Float32, copy: true));
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();
}
