using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// CLIP's text tower without the projection (HF <c>CLIPTextTransformer</c>, the
/// <c>text_model</c> prefix of the checkpoints): embeddings, causal encoder, final layer norm.
/// </summary>
public sealed class ClipTextTransformer : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly ClipEmbeddings embeddings;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm final_layer_norm;

    /// <summary>Creates the tower for <paramref name="config"/>.</summary>
    public ClipTextTransformer(ClipTextConfig config) : base(nameof(ClipTextTransformer))
    {
        embeddings = new ClipEmbeddings(config);
        encoder = new ClipEncoder(config);
        final_layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>The last hidden state [B, L, D] of token ids [B, L].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return final_layer_norm.forward(encoder.forward(embeddings.forward(ids))).MoveToOuterDisposeScope();
    }
}
