using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// CLIP's causal multi-head self-attention (HF <c>CLIPAttention</c>): separate q/k/v/out
/// projections with biases, each token attending to itself and the tokens before it.
/// </summary>
public sealed class ClipAttention : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly int heads;

    /// <summary>Creates the projections for <paramref name="config"/>'s width and heads.</summary>
    public ClipAttention(ClipTextConfig config) : base(nameof(ClipAttention))
    {
        heads = config.NumAttentionHeads;
        q_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        k_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        v_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        out_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Attends over <paramref name="x"/> [B, L, D] with a causal mask; returns [B, L, D].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        Tensor Heads(Tensor t) => t.view(batch, length, heads, width / heads).transpose(1, 2);
        // SDPA's default scale is 1/sqrt(head_dim), the scale CLIP uses; the last argument asks
        // for the causal mask (positional because TorchSharp spells the parameter is_casual).
        var attended = nn.functional.scaled_dot_product_attention(
            Heads(q_proj.forward(x)), Heads(k_proj.forward(x)), Heads(v_proj.forward(x)), null, 0.0, true);
        var merged = attended.transpose(1, 2).reshape(batch, length, width);
        return out_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
