using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>Applies a <see cref="MosoAnchor"/> to one decoded chunk.</summary>
public static class MosoAnchoring
{
    /// <summary>
    /// The predicted frames of a chunk. <paramref name="decoded"/> is the whole decoded window
    /// <c>[B, 3, T, H, W]</c> in [-1, 1], <paramref name="lastGiven"/> the real last given frame
    /// <c>[B, 3, 1, H, W]</c>, <paramref name="context"/> K; returns frames K..T-1.
    /// </summary>
    public static Tensor PredictedFrames(MosoAnchor anchor, Tensor decoded, Tensor lastGiven, int context)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(lastGiven);
        if (context < 1 || context >= decoded.shape[2]) throw new ArgumentOutOfRangeException(nameof(context), $"K must be in 1..{decoded.shape[2] - 1}, got {context}");
        var future = decoded[.., .., TensorIndex.Slice(context)];
        if (anchor == MosoAnchor.None) return future.alias();
        var decodedLast = decoded[.., .., TensorIndex.Slice(context - 1, context)];
        return (lastGiven + (future - decodedLast)).clamp_(-1, 1);
    }
}
