using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Conditioning;

/// <summary>
/// tau_theta of the D-VDM/ED-VDM paper (equation 7): a ResNet bottleneck block that turns the
/// given first frame into a feature map the U-Net sees, concatenated channel-wise to the noisy
/// target at every frame.
/// <code>
/// x = SpaceToDepth_f(frame)                                [B, 3 f^2, H/f, W/f]  (f = 1: the frame)
/// y = SiLU(GN(expand(SiLU(GN(conv3x3(SiLU(GN(reduce(x))))))) + shortcut(x))
/// </code>
/// with 1x1 <c>reduce</c> to a quarter of the output width, a 3x3 conv, 1x1 <c>expand</c> and a
/// 1x1 projection <c>shortcut</c> (GroupNorm instead of ResNet's BatchNorm, whose batch statistics
/// do not suit diffusion training; as in ResNet, a conv followed by a norm has no bias, which the
/// norm would cancel). The convolutions are <see cref="FrameConv"/>s: <c>Conv2d</c>'s state dict, with
/// the narrow bottleneck kept off oneDNN's faulty widths. For ED-VDM (f = 16) the frame must shrink to the size of the
/// motion-vector/latent grid; space-to-depth does that without dropping any pixel, so the 1x1
/// convs that follow act as a learned f x f patch embedding.
/// </summary>
public sealed class FirstFrameEncoder : nn.Module<Tensor, Tensor>
{
    private readonly FrameConv reduce;
    private readonly GroupNorm norm1;
    private readonly FrameConv conv;
    private readonly GroupNorm norm2;
    private readonly FrameConv expand;
    private readonly GroupNorm norm3;
    private readonly FrameConv shortcut;

    /// <summary>An encoder of <paramref name="imageChannels"/>-channel frames to <paramref name="outChannels"/> features at 1/<paramref name="factor"/> of the size.</summary>
    public FirstFrameEncoder(long outChannels, long factor = 1, long groups = 8, long imageChannels = 3) : base(nameof(FirstFrameEncoder))
    {
        if (outChannels < 1) throw new ArgumentException($"first-frame feature channels must be at least 1, got {outChannels}.", nameof(outChannels));
        if (factor < 1) throw new ArgumentException($"the first-frame downsampling factor must be at least 1, got {factor}.", nameof(factor));
        OutChannels = outChannels;
        Factor = factor;
        ImageChannels = imageChannels;
        long input = imageChannels * factor * factor;
        long bottleneck = Math.Max(1, outChannels / 4);
        reduce = new FrameConv(input, bottleneck, 1, hasBias: false);
        norm1 = Layers.GroupNorm(bottleneck, groups);
        conv = new FrameConv(bottleneck, bottleneck, 3, hasBias: false);
        norm2 = Layers.GroupNorm(bottleneck, groups);
        expand = new FrameConv(bottleneck, outChannels, 1, hasBias: false);
        norm3 = Layers.GroupNorm(outChannels, groups);
        shortcut = new FrameConv(input, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>Width of the feature map.</summary>
    public long OutChannels { get; }

    /// <summary>Spatial downsampling factor f.</summary>
    public long Factor { get; }

    /// <summary>Channels of the input frame (3 for RGB).</summary>
    public long ImageChannels { get; }

    /// <summary>A frame <c>[B, 3, H, W]</c> (H, W divisible by f) to features <c>[B, OutChannels, H/f, W/f]</c>.</summary>
    public override Tensor forward(Tensor frame)
    {
        if (frame.dim() != 4 || frame.shape[1] != ImageChannels || frame.shape[2] % Factor != 0 || frame.shape[3] % Factor != 0)
            throw new ArgumentException(
                $"the first frame must be [B, {ImageChannels}, H, W] with H and W divisible by {Factor}, got [{string.Join(",", frame.shape)}].");
        using var scope = torch.NewDisposeScope();
        var x = Factor == 1 ? frame : nn.functional.pixel_unshuffle(frame, Factor);
        var h = nn.functional.silu(norm1.call(reduce.call(x)));
        h = nn.functional.silu(norm2.call(conv.call(h)));
        h = norm3.call(expand.call(h));
        return nn.functional.silu(h + shortcut.call(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Features <c>[B, C, h, w]</c> repeated over <paramref name="frames"/> frames: <c>[B, C, T, h, w]</c> (a view).</summary>
    public static Tensor OverTime(Tensor features, long frames) =>
        features.unsqueeze(2).expand(features.shape[0], features.shape[1], frames, features.shape[2], features.shape[3]);
}
