using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>The autoencoder's middle self-attention over the positions of a feature map: <c>x + Attention(GN(x))</c>, one head.</summary>
public sealed class AttentionBlock2D : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly MultiHeadSelfAttention attention;

    /// <summary>Attention over <paramref name="channels"/>-wide feature maps.</summary>
    public AttentionBlock2D(long channels, long groups) : base(nameof(AttentionBlock2D))
    {
        norm = Layers.GroupNorm(channels, groups);
        attention = new MultiHeadSelfAttention(channels, 1, channels);
        RegisterComponents();
    }

    /// <summary><c>[B, C, H, W]</c> to the same shape.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var tokens = norm.call(x).flatten(2).transpose(1, 2);
        var attended = attention.call(tokens, null).transpose(1, 2).reshape(b, c, h, w);
        return (x + attended).MoveToOuterDisposeScope();
    }
}
