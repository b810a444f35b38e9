using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// Self-attention among the H*W positions of each frame separately (frames do not see each
/// other here): <c>x + Attention(GroupNorm(x))</c> with tokens <c>[B*T, H*W, C]</c>.
/// </summary>
public sealed class SpatialAttention : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly MultiHeadSelfAttention attention;

    /// <summary>Attention over space for <paramref name="channels"/>-wide feature maps.</summary>
    public SpatialAttention(long channels, long heads, long headDim, long groups) : base(nameof(SpatialAttention))
    {
        norm = Layers.GroupNorm(channels, groups);
        attention = new MultiHeadSelfAttention(channels, heads, headDim);
        RegisterComponents();
    }

    /// <summary><c>[B, C, T, H, W]</c> to the same shape.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var tokens = norm.call(x).permute(0, 2, 3, 4, 1).reshape(b * t, h * w, c);
        var attended = attention.call(tokens, null).view(b, t, h, w, c).permute(0, 4, 1, 2, 3);
        return (x + attended).MoveToOuterDisposeScope();
    }
}
