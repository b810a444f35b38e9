using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// The autoencoder's residual block (latent diffusion): <c>skip(x) + conv2(SiLU(GN(conv1(SiLU(GN(x))))))</c>,
/// 3x3 convolutions, a 1x1 <c>skip</c> when the width changes; no time embedding.
/// </summary>
public sealed class ResnetBlock2D : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly FrameConv conv1;
    private readonly GroupNorm norm2;
    private readonly FrameConv conv2;
    private readonly FrameConv? skip;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ResnetBlock2D(long inChannels, long outChannels, long groups) : base(nameof(ResnetBlock2D))
    {
        norm1 = Layers.GroupNorm(inChannels, groups);
        conv1 = new FrameConv(inChannels, outChannels, 3);
        norm2 = Layers.GroupNorm(outChannels, groups);
        conv2 = new FrameConv(outChannels, outChannels, 3);
        skip = inChannels == outChannels ? null : new FrameConv(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv1.call(nn.functional.silu(norm1.call(x)));
        h = conv2.call(nn.functional.silu(norm2.call(h)));
        return (h + (skip is null ? x : skip.call(x))).MoveToOuterDisposeScope();
    }
}
