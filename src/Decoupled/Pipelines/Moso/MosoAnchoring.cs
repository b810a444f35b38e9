using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>Applies a <see cref="MosoAnchor"/> to one decoded chunk.</summary>
public static class MosoAnchoring
{
    /// <summary>
    /// The decoded change (in [-1, 1] units, largest over the channels) at and above which
    /// <see cref="MosoAnchor.Unchanged"/> keeps the decoding alone: 0.1 is 5% of the range, about
    /// 13 grey levels, well above a static scene's decoding noise and below a moving object's contrast.
    /// </summary>
    public const double ChangeScale = 0.1;

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
        if (anchor == MosoAnchor.LastFrame) return (lastGiven + (future - decodedLast)).clamp_(-1, 1);
        using var scope = NewDisposeScope();
        using var scale = ChangeScale.ToScalar();
        using var zero = 0.ToScalar();
        using var one = 1.ToScalar();
        var changed = (future - decodedLast).abs().amax([1L], keepdim: true).div_(scale).clamp_(zero, one);
        if (anchor == MosoAnchor.CopyUnchanged) return (lastGiven + changed * (future - lastGiven)).clamp_(-1, 1).MoveToOuterDisposeScope();
        var staticError = lastGiven - decodedLast;
        return (future + (staticError - changed * staticError)).clamp_(-1, 1).MoveToOuterDisposeScope();
    }
}
