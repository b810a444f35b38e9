using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// Multi-head self-attention over token sequences <c>[N, L, C]</c> through
/// <c>scaled_dot_product_attention</c>: softmax(q k^T / sqrt(d) + bias) v per head. The output
/// projection starts at zero, so a fresh attention layer inside a residual adds nothing.
/// </summary>
public sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear to_qkv;
    private readonly Linear to_out;

    /// <summary>Attention on <paramref name="channels"/>-wide tokens with <paramref name="heads"/> heads of width <paramref name="headDim"/>.</summary>
    public MultiHeadSelfAttention(long channels, long heads, long headDim) : base(nameof(MultiHeadSelfAttention))
    {
        if (heads < 1 || headDim < 1) throw new ArgumentException($"attention needs heads and head_dim >= 1, got {heads} and {headDim}.");
        Heads = heads;
        HeadDim = headDim;
        to_qkv = nn.Linear(channels, 3 * heads * headDim, hasBias: false);
        to_out = Layers.ZeroInit(nn.Linear(heads * headDim, channels));
        RegisterComponents();
    }

    /// <summary>Number of heads.</summary>
    public long Heads { get; }

    /// <summary>Width of one head.</summary>
    public long HeadDim { get; }

    /// <summary>
    /// Tokens <paramref name="x"/> <c>[N, L, C]</c> to <c>[N, L, C]</c>. <paramref name="bias"/>, if given,
    /// is added to the attention logits; it broadcasts against <c>[N, heads, L, L]</c> (e.g. <c>[heads, L, L]</c>).
    /// </summary>
    public override Tensor forward(Tensor x, Tensor? bias)
    {
        using var scope = torch.NewDisposeScope();
        long n = x.shape[0], length = x.shape[1];
        // [N, L, 3 * heads * d] -> three [N, heads, L, d]
        var qkv = to_qkv.call(x).view(n, length, 3, Heads, HeadDim).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], bias?.to(x.dtype));
        var merged = attended.transpose(1, 2).reshape(n, length, Heads * HeadDim);
        return to_out.call(merged).MoveToOuterDisposeScope();
    }
}
