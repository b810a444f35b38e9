namespace Decoupled.Nn.Text;

/// <summary>Which caption encoder a model uses (written <c>"small"</c> / <c>"clip"</c> in config.json).</summary>
public enum TextEncoderKind
{
    /// <summary><see cref="Small.SmallTextEncoder"/>: cl100k tokens, hashed embeddings, a tiny transformer, trained with the generator.</summary>
    Small,

    /// <summary><see cref="Clip.ClipTextEncoder"/>: the frozen pre-trained CLIP text tower with its BPE tokenizer.</summary>
    Clip,
}
