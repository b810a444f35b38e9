using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// Self-attention among the T frames at each spatial position (VDM's factorised space-time
/// attention): <c>x + Attention(GroupNorm(x), bias)</c> with tokens <c>[B*H*W, T, C]</c> and a
/// <see cref="RelativePositionBias"/> on the logits, the only place where frame order enters.
/// </summary>
public sealed class TemporalAttention : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly MultiHeadSelfAttention attention;
    private readonly RelativePositionBias relative_position_bias;

    /// <summary>Attention over time for <paramref name="channels"/>-wide features and clips up to <paramref name="maxFrames"/> frames.</summary>
    public TemporalAttention(long channels, long heads, long headDim, long groups, long maxFrames) : base(nameof(TemporalAttention))
    {
        norm = Layers.GroupNorm(channels, groups);
        attention = new MultiHeadSelfAttention(channels, heads, headDim);
        relative_position_bias = new RelativePositionBias(heads, maxFrames);
        RegisterComponents();
    }

    /// <summary>The learned bias on the attention logits.</summary>
    public RelativePositionBias Bias => relative_position_bias;

    /// <summary><c>[B, C, T, H, W]</c> to the same shape.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var tokens = norm.call(x).permute(0, 3, 4, 2, 1).reshape(b * h * w, t, c);
        var attended = attention.call(tokens, relative_position_bias.call(t)).view(b, h, w, t, c).permute(0, 4, 3, 1, 2);
        return (x + attended).MoveToOuterDisposeScope();
    }
}
