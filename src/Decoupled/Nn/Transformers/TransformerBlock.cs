using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Transformers;

/// <summary>
/// A pre-norm transformer block with bidirectional (unmasked) self-attention:
/// <c>x + Attn(LN(x))</c>, then <c>x + MLP(LN(x))</c> with a GELU MLP and dropout, on <c>[B, N, C]</c>.
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly MultiHeadSelfAttention attention;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout dropout;

    /// <summary>A block of width <paramref name="width"/>, <paramref name="heads"/> heads and a <paramref name="mlpWidth"/>-wide MLP.</summary>
    public TransformerBlock(int width, int heads, int mlpWidth, double dropout) : base(nameof(TransformerBlock))
    {
        if (heads < 1 || width % heads != 0) throw new ArgumentException($"the heads ({heads}) must divide the width ({width})");
        norm1 = Norms.LayerNorm(width);
        attention = new MultiHeadSelfAttention(width, heads, width / heads);
        norm2 = Norms.LayerNorm(width);
        fc1 = nn.Linear(width, mlpWidth);
        fc2 = nn.Linear(mlpWidth, width);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + dropout.call(attention.call(norm1.call(x), null));
        var mlp = fc2.call(dropout.call(nn.functional.gelu(fc1.call(norm2.call(h)))));
        return (h + dropout.call(mlp)).MoveToOuterDisposeScope();
    }
}

/// <summary>LayerNorm with its affine weights set explicitly to 1 and 0 (the binding's defaults are not relied on).</summary>
public static class Norms
{
    /// <summary>A LayerNorm over the last dimension of width <paramref name="width"/>.</summary>
    public static LayerNorm LayerNorm(long width)
    {
        var norm = nn.LayerNorm(width);
        using (torch.no_grad())
        {
            norm.weight!.fill_(1.0);
            norm.bias!.zero_();
        }
        return norm;
    }
}
