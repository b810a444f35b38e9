namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// Shape of a CLIP text transformer, named as in Hugging Face's <c>CLIPTextConfig</c>.
/// </summary>
/// <param name="VocabSize">Rows of the token embedding (49408 for the openai checkpoints).</param>
/// <param name="HiddenSize">Width of the residual stream.</param>
/// <param name="IntermediateSize">Width of each MLP's hidden layer (4x the width for openai).</param>
/// <param name="NumHiddenLayers">Number of transformer layers.</param>
/// <param name="NumAttentionHeads">Attention heads per layer; must divide the width.</param>
/// <param name="MaxPositionEmbeddings">Rows of the learned position embedding: the context length.</param>
/// <param name="ProjectionDim">Output width of <c>text_projection</c>: the pooled embedding's size.</param>
/// <param name="LayerNormEps">Epsilon of every layer norm.</param>
public sealed record ClipTextConfig(
    int VocabSize = 49408,
    int HiddenSize = 512,
    int IntermediateSize = 2048,
    int NumHiddenLayers = 12,
    int NumAttentionHeads = 8,
    int MaxPositionEmbeddings = 77,
    int ProjectionDim = 512,
    double LayerNormEps = 1e-5)
{
    /// <summary>The text tower of <c>openai/clip-vit-base-patch32</c> (ViT-B/32): width 512, 12 layers, 8 heads.</summary>
    public static ClipTextConfig VitB32 { get; } = new();

    /// <summary>The text tower of <c>openai/clip-vit-large-patch14</c> (ViT-L/14): width 768, 12 layers, 12 heads.</summary>
    public static ClipTextConfig VitL14 { get; } = new(HiddenSize: 768, IntermediateSize: 3072, NumAttentionHeads: 12, ProjectionDim: 768);

    /// <summary>Width of one attention head.</summary>
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that cannot make a model.</summary>
    public void Validate()
    {
        if (VocabSize < 2) throw new ArgumentException($"vocab_size must be at least 2, got {VocabSize}.");
        if (HiddenSize < 1 || IntermediateSize < 1 || ProjectionDim < 1)
            throw new ArgumentException($"hidden_size, intermediate_size and projection_dim must be positive, got {HiddenSize}, {IntermediateSize}, {ProjectionDim}.");
        if (NumHiddenLayers < 0) throw new ArgumentException($"num_hidden_layers must be >= 0, got {NumHiddenLayers}.");
        if (NumAttentionHeads < 1 || HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"num_attention_heads ({NumAttentionHeads}) must divide hidden_size ({HiddenSize}).");
        if (MaxPositionEmbeddings < 2) throw new ArgumentException($"max_position_embeddings must be at least 2, got {MaxPositionEmbeddings}.");
        if (!(LayerNormEps > 0)) throw new ArgumentException($"layer_norm_eps must be positive, got {LayerNormEps}.");
    }
}
