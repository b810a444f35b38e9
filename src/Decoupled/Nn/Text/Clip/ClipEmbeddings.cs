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
    private readonly Embedding tokens;
    private readonly Embedding positions;

    /// <summary>Creates both tables for <paramref name="config"/>.</summary>
    public ClipEmbeddings(ClipTextConfig config) : base(nameof(ClipEmbeddings))
    {
        tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        positions = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        register_module("token_embedding", tokens);
        register_module("position_embedding", positions);
    }

    /// <summary>Embeds token ids [B, L] (int64) into [B, L, D].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var positionIds = torch.arange(ids.shape[1], dtype: ScalarType.Int64, device: ids.device).unsqueeze(0);
        return (tokens.forward(ids) + positions.forward(positionIds)).MoveToOuterDisposeScope();
    }
}
