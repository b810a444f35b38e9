using System.Numerics;
using Decoupled.Nn.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// MOSO's scene (or object) encoder (section 3.1.2): each frame is downsampled, the T frame
/// features are concatenated on channels, a 3x3 convolution compresses them to one feature map
/// (the "temporal compressing layer"), and a residual stack follows:
/// <c>[B, 3, T, H, W]</c> to <c>[B, hidden, H/f, W/f]</c>.
/// </summary>
public sealed class ContentEncoder : nn.Module<Tensor, Tensor>
{
    private readonly FrameDownsampler downsample;
    private readonly FrameConv compress;
    private readonly ResidualStack residual;

    /// <summary>The encoder of <paramref name="config"/>.</summary>
    public ContentEncoder(MosoVqVaeNetConfig config) : base(nameof(ContentEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        downsample = new FrameDownsampler(3, config.Hidden, BitOperations.Log2((uint)config.ContentDownsample));
        compress = new FrameConv((long)config.Frames * config.Hidden, config.Hidden, 3);
        residual = new ResidualStack(config.Hidden, config.ResidualHidden, config.ResidualLayers);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor video)
    {
        using var scope = NewDisposeScope();
        long b = video.shape[0], t = video.shape[2];
        var frames = downsample.call(VideoFrames.Fold(video));
        var stacked = frames.reshape(b, t * frames.shape[1], frames.shape[2], frames.shape[3]);
        return residual.call(compress.call(nn.functional.relu(stacked))).MoveToOuterDisposeScope();
    }
}
