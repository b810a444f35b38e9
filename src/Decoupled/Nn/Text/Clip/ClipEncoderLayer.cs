using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// One pre-LN CLIP layer (HF <c>CLIPEncoderLayer</c>):
/// <c>x + self_attn(layer_norm1(x))</c>, then <c>x + mlp(layer_norm2(x))</c>.
/// </summary>
public sealed class ClipEncoderLayer : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm1;
    private readonly ClipMlp mlp;
    private readonly LayerNorm layer_norm2;

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public ClipEncoderLayer(ClipTextConfig config) : base(nameof(ClipEncoderLayer))
    {
        self_attn = new ClipAttention(config);
        layer_norm1 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        mlp = new ClipMlp(config);
        layer_norm2 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>Transforms <paramref name="x"/> [B, L, D].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var attended = x + self_attn.forward(layer_norm1.forward(x));
        return (attended + mlp.forward(layer_norm2.forward(attended))).MoveToOuterDisposeScope();
    }
}
