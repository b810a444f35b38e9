namespace Decoupled.Nn.Text.Small;

/// <summary>
/// Shape of <see cref="SmallTextEncoder"/>. The defaults hold about 0.37 M parameters, most of
/// them the 4097 x 64 hashed embedding table.
/// </summary>
/// <param name="MaxLength">Tokens per caption, the start slot included (32 fits every shapes caption many times over).</param>
/// <param name="HashBuckets">Embedding rows the ~100 k cl100k ids are hashed into (plus one for the start slot).</param>
/// <param name="Width">Width of the token states.</param>
/// <param name="Layers">Transformer encoder layers.</param>
/// <param name="Heads">Attention heads; must divide <paramref name="Width"/>.</param>
/// <param name="EmbeddingDim">Width of the pooled vector.</param>
public sealed record SmallTextEncoderConfig(
    int MaxLength = 32,
    int HashBuckets = 4096,
    int Width = 64,
    int Layers = 2,
    int Heads = 4,
    int EmbeddingDim = 64)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that cannot make an encoder.</summary>
    public void Validate()
    {
        if (MaxLength < 2) throw new ArgumentException($"max_length must be at least 2 (start slot and one token), got {MaxLength}.");
        if (HashBuckets < 1) throw new ArgumentException($"hash_buckets must be positive, got {HashBuckets}.");
        if (Width < 1 || EmbeddingDim < 1) throw new ArgumentException($"width and embedding_dim must be positive, got {Width} and {EmbeddingDim}.");
        if (Layers < 0) throw new ArgumentException($"layers must be >= 0, got {Layers}.");
        if (Heads < 1 || Width % Heads != 0) throw new ArgumentException($"heads ({Heads}) must divide width ({Width}).");
    }
}
