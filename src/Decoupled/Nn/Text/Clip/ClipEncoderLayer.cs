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
    private readonly ClipAttention attention;
    private readonly LayerNorm norm1;
    private readonly ClipMlp mlp;
    private readonly LayerNorm norm2;

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public ClipEncoderLayer(ClipTextConfig config) : base(nameof(ClipEncoderLayer))
    {
        attention = new ClipAttention(config);
        norm1 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        mlp = new ClipMlp(config);
        norm2 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        register_module("self_attn", attention);
        register_module("layer_norm1", norm1);
        register_module("mlp", mlp);
        register_module("layer_norm2", norm2);
    }

    /// <summary>Transforms <paramref name="x"/> [B, L, D].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var attended = x + attention.forward(norm1.forward(x));
        return (attended + mlp.forward(norm2.forward(attended))).MoveToOuterDisposeScope();
    }
}
