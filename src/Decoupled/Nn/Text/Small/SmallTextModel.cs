using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Small;

/// <summary>
/// The network of <see cref="SmallTextEncoder"/>: hashed token embedding (the sum of each
/// token's <see cref="HashedCaptionTokenizer.HashesPerToken"/> rows) plus a learned position
/// embedding, <see cref="SmallEncoderLayer"/>s, a final layer norm, a mean over the real tokens
/// and a linear projection to the pooled width. Mean pooling, not a single summary token, because
/// every word of a short caption ("red square moves left") carries part of the condition.
/// </summary>
public sealed class SmallTextModel : nn.Module<Tensor, Tensor, SmallTextOutput>
{
    /// <summary>Standard deviation of the initial embeddings (GPT-2's), small next to the layer norms' unit scale.</summary>
    private const double EmbeddingInitStd = 0.02;

    // Field names are the state-dict names (RegisterComponents uses them).
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;
    private readonly ModuleList<SmallEncoderLayer> layers;
    private readonly LayerNorm final_norm;
    private readonly Linear projection;

    /// <summary>Creates the network for <paramref name="config"/> with weights from torch's global generator.</summary>
    public SmallTextModel(SmallTextEncoderConfig config) : base(nameof(SmallTextModel))
    {
        config.Validate();
        token_embedding = nn.Embedding(config.HashBuckets + 1, config.Width);
        position_embedding = nn.Embedding(config.MaxLength, config.Width);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new SmallEncoderLayer(config.Width, config.Heads)).ToArray());
        final_norm = nn.LayerNorm(config.Width);
        projection = nn.Linear(config.Width, config.EmbeddingDim);
        using (torch.no_grad())
        {
            nn.init.normal_(token_embedding.weight!, 0, EmbeddingInitStd);
            nn.init.normal_(position_embedding.weight!, 0, EmbeddingInitStd);
        }
        RegisterComponents();
    }

    /// <summary>
    /// Encodes hashed rows [B, L, H] (int64) with mask [B, L] (bool, true at real tokens; the
    /// first slot must be real).
    /// </summary>
    public override SmallTextOutput forward(Tensor rows, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var positions = torch.arange(rows.shape[1], dtype: ScalarType.Int64, device: rows.device).unsqueeze(0);
        var hidden = token_embedding.forward(rows).sum(2) + position_embedding.forward(positions);
        foreach (var layer in layers)
            hidden = layer.forward(hidden, mask);
        hidden = final_norm.forward(hidden);
        var weights = mask.unsqueeze(2).to(hidden.dtype);
        var mean = (hidden * weights).sum(1) / weights.sum(1);
        var pooled = projection.forward(mean);
        return new SmallTextOutput(hidden.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }
}

/// <summary>What <see cref="SmallTextModel"/> returns.</summary>
/// <param name="Hidden">Token states [B, L, width] after the final layer norm.</param>
/// <param name="Pooled">Masked mean of <paramref name="Hidden"/> projected to [B, embedding_dim].</param>
public sealed record SmallTextOutput(Tensor Hidden, Tensor Pooled) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Hidden.Dispose();
        Pooled.Dispose();
    }
}
