using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>The stack of <see cref="ClipEncoderLayer"/>s (HF <c>CLIPEncoder</c>, whose only child is <c>layers</c>).</summary>
public sealed class ClipEncoder : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names (RegisterComponents uses them), those of the Hugging Face checkpoints.
    private readonly ModuleList<ClipEncoderLayer> layers;

    /// <summary>Creates <see cref="ClipTextConfig.NumHiddenLayers"/> layers.</summary>
    public ClipEncoder(ClipTextConfig config) : base(nameof(ClipEncoder))
    {
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ClipEncoderLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>Runs every layer over <paramref name="x"/> [B, L, D].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = x;
        foreach (var layer in layers)
            hidden = layer.forward(hidden);
        return hidden.alias().MoveToOuterDisposeScope();
    }
}
