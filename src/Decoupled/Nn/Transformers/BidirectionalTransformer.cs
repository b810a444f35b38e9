using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Transformers;

/// <summary>
/// A stack of <see cref="TransformerBlock"/>s with a final LayerNorm: every token attends to every
/// other (BERT / MaskGIT style), <c>[B, N, width]</c> to <c>[B, N, width]</c>.
/// </summary>
public sealed class BidirectionalTransformer : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm norm;

    /// <summary>A transformer of <paramref name="layers"/> blocks.</summary>
    public BidirectionalTransformer(int layers, int width, int heads, int mlpWidth, double dropout) : base(nameof(BidirectionalTransformer))
    {
        if (layers < 1) throw new ArgumentException($"a transformer needs at least one block, got {layers}");
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new TransformerBlock(width, heads, mlpWidth, dropout)).ToArray());
        norm = Norms.LayerNorm(width);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var block in blocks) h = block.call(h);
        return norm.call(h).MoveToOuterDisposeScope();
    }
}
