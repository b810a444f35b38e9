using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// A k x 1 x 1 "temporal" convolution over <c>[B, C, T, H, W]</c>: it mixes each pixel's
/// neighbouring frames and never its neighbouring pixels (the second half of a (2+1)D block, after a
/// <see cref="SpatialConv"/>). Stored exactly like a <c>Conv3d</c> with kernel (k, 1, 1) (weight
/// <c>[out, in, k, 1, 1]</c>, bias <c>[out]</c>, the same initialisation), computed as a 2D
/// convolution with a (k, 1) kernel over <c>[B, C, T, H*W]</c> so it goes through
/// <see cref="Runtime.OneDnnConv"/> like every other convolution. Time is zero-padded ("same" length).
/// </summary>
public sealed class TemporalConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long padding;

    /// <summary>A convolution over <paramref name="kernel"/> frames (odd) from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public TemporalConv(long inChannels, long outChannels, long kernel = 3) : base(nameof(TemporalConv))
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentException($"kernel size must be odd and positive, got {kernel}.", nameof(kernel));
        // Borrow Conv3d's default initialisation so weights follow the seed exactly as a Conv3d's would.
        using var template = nn.Conv3d(inChannels, outChannels, (kernel, 1, 1), padding: (kernel / 2, 0, 0));
        weight = new Parameter(template.weight!.detach().clone());
        bias = new Parameter(template.bias!.detach().clone());
        padding = kernel / 2;
        RegisterComponents();
    }

    /// <summary>The kernel, <c>[out, in, k, 1, 1]</c>.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        // OneDnnConv takes one padding for both axes; padding time by hand keeps the pixel axis unpadded.
        var frames = nn.functional.pad(x.reshape(b, c, t, h * w), [0, 0, padding, padding]);
        var y = Runtime.OneDnnConv.Conv2d(frames, weight.squeeze(-1), bias, stride: 1, padding: 0);
        return y.reshape(b, y.shape[1], t, h, w).MoveToOuterDisposeScope();
    }
}
