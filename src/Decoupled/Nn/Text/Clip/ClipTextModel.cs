using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// HF <c>CLIPTextModelWithProjection</c>: <c>text_model</c> (<see cref="ClipTextTransformer"/>)
/// and <c>text_projection</c> (no bias). Its state-dict names are those of the text keys in an
/// <c>openai/clip-vit-*</c> <c>model.safetensors</c>, so <see cref="ClipWeights"/> loads them as they are.
/// </summary>
public sealed class ClipTextModel : nn.Module<Tensor, ClipTextOutput>
{
    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly ClipTextTransformer text_model;
    private readonly Linear text_projection;

    /// <summary>Creates a randomly initialized model of shape <paramref name="config"/>.</summary>
    public ClipTextModel(ClipTextConfig config) : base(nameof(ClipTextModel))
    {
        config.Validate();
        Config = config;
        text_model = new ClipTextTransformer(config);
        text_projection = nn.Linear(config.HiddenSize, config.ProjectionDim, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The shape this model was built with.</summary>
    public ClipTextConfig Config { get; }

    /// <summary>
    /// Encodes token ids [B, L] (int64, L at most the context length). The pooled state is the
    /// hidden state at each row's highest id, as HF does for the openai checkpoints
    /// (<c>eos_token_id == 2</c> branch): <c>&lt;|endoftext|&gt;</c> has the highest id of the
    /// vocabulary, and argmax returns its first occurrence, so end-token padding does not move it.
    /// </summary>
    public override ClipTextOutput forward(Tensor ids)
    {
        if (ids.dim() != 2 || ids.shape[1] > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"token ids must be [B, L] with L <= {Config.MaxPositionEmbeddings}, got [{string.Join(", ", ids.shape)}]", nameof(ids));
        using var scope = NewDisposeScope();
        var hidden = text_model.forward(ids);
        var endPositions = ids.argmax(1);
        var index = endPositions.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        var atEnd = hidden.gather(1, index).squeeze(1);
        var pooled = text_projection.forward(atEnd);
        return new ClipTextOutput(hidden.MoveToOuterDisposeScope(), atEnd.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope(), endPositions.MoveToOuterDisposeScope());
    }
}

/// <summary>What <see cref="ClipTextModel"/> returns for a batch of token ids.</summary>
/// <param name="LastHiddenState">Final-layer-normed hidden states [B, L, hidden_size] (HF <c>last_hidden_state</c>).</param>
/// <param name="PooledOutput">Hidden state at the end token [B, hidden_size] (HF <c>pooler_output</c>).</param>
/// <param name="TextEmbeds">Pooled output through <c>text_projection</c> [B, projection_dim] (HF <c>text_embeds</c>).</param>
/// <param name="EndPositions">Index of the end token in each row [B] (int64).</param>
public sealed record ClipTextOutput(Tensor LastHiddenState, Tensor PooledOutput, Tensor TextEmbeds, Tensor EndPositions) : IDisposable
{
    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        LastHiddenState.Dispose();
        PooledOutput.Dispose();
        TextEmbeds.Dispose();
        EndPositions.Dispose();
    }
}
