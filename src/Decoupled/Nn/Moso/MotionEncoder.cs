using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// MOSO's motion encoder (section 3.1.2): each frame is downsampled (one level further than the
/// scene and object encoders in the authors' code), then temporal self-attention within working
/// pools replaces the temporal compressing layer, and a residual stack runs per frame:
/// <c>[B, 3, T, H, W]</c> to <c>[B, motion hidden, T, H/f, W/f]</c>. Because pools never mix, the features
/// of a pool depend on that pool's input frames alone (what equation 12 rests on). The
/// non-decomposed ablation uses the same encoder on raw frames.
/// </summary>
public sealed class MotionEncoder : nn.Module<Tensor, Tensor>
{
    private readonly FrameDownsampler downsample;
    private readonly PooledTemporalAttention attention;
    private readonly ResidualStack residual;

    /// <summary>The encoder of <paramref name="config"/>.</summary>
    public MotionEncoder(MosoVqVaeNetConfig config) : base(nameof(MotionEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        int width = config.MotionHidden;
        downsample = new FrameDownsampler(3, width, BitOperations.Log2((uint)config.MotionDownsample));
        attention = new PooledTemporalAttention(width, config.MotionHeads, config.MotionPool);
        residual = new ResidualStack(width, config.ResidualHidden, config.ResidualLayers);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor video)
    {
        using var scope = NewDisposeScope();
        long b = video.shape[0];
        var frames = VideoFrames.Unfold(downsample.call(VideoFrames.Fold(video)), b);
        var attended = attention.call(frames);
        return VideoFrames.Unfold(residual.call(VideoFrames.Fold(attended)), b).MoveToOuterDisposeScope();
    }
}
