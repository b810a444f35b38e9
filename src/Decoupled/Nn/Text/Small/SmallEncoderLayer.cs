using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Small;

/// <summary>
/// A pre-LN transformer encoder layer with a padding mask: bidirectional self-attention (one
/// fused q/k/v projection) and a 4x GELU MLP, each inside a residual.
/// </summary>
public sealed class SmallEncoderLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Linear qkv;
    private readonly Linear output;
    private readonly LayerNorm norm2;
    private readonly Linear up;
    private readonly Linear down;
    private readonly int heads;

    /// <summary>Creates a layer of <paramref name="width"/> channels and <paramref name="heads"/> heads.</summary>
    public SmallEncoderLayer(int width, int heads) : base(nameof(SmallEncoderLayer))
    {
        this.heads = heads;
        norm1 = nn.LayerNorm(width);
        qkv = nn.Linear(width, 3 * width);
        output = nn.Linear(width, width);
        norm2 = nn.LayerNorm(width);
        up = nn.Linear(width, 4 * width);
        down = nn.Linear(4 * width, width);
        RegisterComponents();
    }

    /// <summary>
    /// Transforms <paramref name="x"/> [B, L, D]; <paramref name="keep"/> [B, L] bool marks the
    /// tokens that may be attended to (padding is never looked at).
    /// </summary>
    public override Tensor forward(Tensor x, Tensor keep)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        var projected = qkv.forward(norm1.forward(x)).view(batch, length, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        var attendable = keep.view(batch, 1, 1, length);
        var attended = nn.functional.scaled_dot_product_attention(projected[0], projected[1], projected[2], attendable);
        var residual = x + output.forward(attended.transpose(1, 2).reshape(batch, length, width));
        var mlp = down.forward(nn.functional.gelu(up.forward(norm2.forward(residual))));
        return (residual + mlp).MoveToOuterDisposeScope();
    }
}
