using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>CLIP's feed-forward block (HF <c>CLIPMLP</c>): <c>fc1</c>, quick GELU, <c>fc2</c>.</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
    /// <summary>The sigmoid slope of OpenAI's GELU approximation, which the checkpoints were trained with.</summary>
    private const double QuickGeluSlope = 1.702;

    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>Creates the two projections for <paramref name="config"/>.</summary>
    public ClipMlp(ClipTextConfig config) : base(nameof(ClipMlp))
    {
        fc1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        fc2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Maps <paramref name="x"/> [..., D] to [..., D].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = fc1.forward(x);
        var activated = hidden * torch.sigmoid(hidden * QuickGeluSlope);
        return fc2.forward(activated).MoveToOuterDisposeScope();
    }
}
