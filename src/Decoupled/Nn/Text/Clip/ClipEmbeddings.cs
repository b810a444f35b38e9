using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// Token embedding plus learned absolute position embedding (HF <c>CLIPTextEmbeddings</c>).
/// HF's <c>position_ids</c> buffer is not kept: it is just 0..L-1, made on the fly here.
/// </summary>
public sealed class ClipEmbeddings : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;

    /// <summary>Creates both tables for <paramref name="config"/>.</summary>
    public ClipEmbeddings(ClipTextConfig config) : base(nameof(ClipEmbeddings))
    {
        token_embedding = nn.Embedding(config.VocabSize, config.HiddenSize);
        position_embedding = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Embeds token ids [B, L] (int64) into [B, L, D].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var positionIds = torch.arange(ids.shape[1], dtype: ScalarType.Int64, device: ids.device).unsqueeze(0);
        return (token_embedding.forward(ids) + position_embedding.forward(positionIds)).MoveToOuterDisposeScope();
    }
}
