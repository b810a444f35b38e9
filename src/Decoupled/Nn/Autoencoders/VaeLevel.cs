using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>One level of the autoencoder: residual blocks, then an optional resampler.</summary>
public sealed class VaeLevel : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<ResnetBlock2D> blocks;
    private readonly Resample2D? resample;

    /// <summary>A level of <paramref name="blockList"/> followed by <paramref name="resampler"/> (null: none).</summary>
    public VaeLevel(IReadOnlyList<ResnetBlock2D> blockList, Resample2D? resampler) : base(nameof(VaeLevel))
    {
        blocks = nn.ModuleList(blockList.ToArray());
        resample = resampler;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var block in blocks) h = block.call(h);
        if (resample is not null) h = resample.call(h);
        return h.MoveToOuterDisposeScope();
    }
}
