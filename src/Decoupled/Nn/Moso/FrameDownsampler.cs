using Decoupled.Nn.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// Downsamples each frame by <c>2^levels</c> with strided 5x5 convolutions (the authors' code),
/// ReLU between them: <c>[N, C, H, W]</c> to <c>[N, width, H / 2^levels, W / 2^levels]</c>. The
/// width doubles level by level up to <c>width</c> (at least 16 channels), so the full-resolution
/// levels, which dominate the cost, stay narrow.
/// </summary>
public sealed class FrameDownsampler : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<FrameConv> convs;

    /// <summary>A downsampler from <paramref name="inChannels"/> to <paramref name="width"/> channels over <paramref name="levels"/> halvings.</summary>
    public FrameDownsampler(int inChannels, int width, int levels) : base(nameof(FrameDownsampler))
    {
        if (levels < 1) throw new ArgumentException($"a downsampler needs at least one level, got {levels}");
        var widths = Enumerable.Range(0, levels).Select(i => Math.Min(width, Math.Max(16, width >> (levels - 1 - i)))).ToArray();
        convs = nn.ModuleList(Enumerable.Range(0, levels).Select(i => new FrameConv(i == 0 ? inChannels : widths[i - 1], widths[i], 5, stride: 2)).ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < convs.Count; i++)
        {
            h = convs[i].call(h);
            if (i < convs.Count - 1) h = nn.functional.relu(h);
        }
        return h.MoveToOuterDisposeScope();
    }
}
