using System.Numerics;
using Decoupled.Nn.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// The per-frame half of MOSO's decoder (section 3.1.3): a residual stack, then upsampling by the
/// content factor to RGB. Each level is a nearest-neighbour x2 and a 3x3 convolution, which spans
/// the same maps as the paper's stride-2 transposed convolutions without their checkerboard
/// artefacts (and stays on convolution shapes this CPU's oneDNN computes correctly). The width
/// halves at every level (down to 16 channels), mirroring the encoders.
/// <c>[N, hidden, h, w]</c> to <c>[N, 3, H, W]</c>.
/// </summary>
public sealed class FrameDecoder : nn.Module<Tensor, Tensor>
{
    private readonly ResidualStack residual;
    private readonly TorchSharp.Modules.ModuleList<FrameConv> ups;
    private readonly FrameConv output;

    /// <summary>The decoder of <paramref name="config"/>.</summary>
    public FrameDecoder(MosoVqVaeNetConfig config) : base(nameof(FrameDecoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        residual = new ResidualStack(config.Hidden, config.ResidualHidden, config.ResidualLayers);
        int levels = BitOperations.Log2((uint)config.ContentDownsample);
        var widths = Enumerable.Range(0, levels + 1).Select(i => i == 0 ? config.Hidden : Math.Min(config.Hidden, Math.Max(16, config.Hidden >> i))).ToArray();
        ups = nn.ModuleList(Enumerable.Range(0, levels).Select(i => new FrameConv(widths[i], widths[i + 1], 3)).ToArray());
        output = new FrameConv(widths[levels], 3, 3);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var h = residual.call(features);
        foreach (var up in ups)
            h = nn.functional.relu(up.call(nn.functional.interpolate(h, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest)));
        return output.call(h).MoveToOuterDisposeScope();
    }
}
