using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// VDM's 1x3x3 "spatial" convolution over <c>[B, C, T, H, W]</c> (or a 1x1x1 one with
/// <c>kernel</c> 1), stored exactly like a <c>Conv3d</c> with kernel (1, k, k) (weight
/// <c>[out, in, 1, k, k]</c>, bias <c>[out]</c>, the same state-dict names and initialisation) but
/// computed as a 2D convolution over the B*T frames: libtorch's reference 2D kernel is 1.3-7x
/// faster than its 3D one here (measured with oneDNN off), and <see cref="Runtime.OneDnnConv"/>
/// keeps oneDNN on the widths it computes correctly.
/// </summary>
public sealed class SpatialConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long stride;
    private readonly long padding;

    /// <summary>A convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> with the given spatial stride and kernel size (3 or 1; "same" padding).</summary>
    public SpatialConv(long inChannels, long outChannels, long stride = 1, long kernel = 3) : base(nameof(SpatialConv))
    {
        if (kernel is not (1 or 3)) throw new ArgumentException($"a spatial convolution has a 1x1 or 3x3 kernel, got {kernel}.", nameof(kernel));
        // Borrow Conv3d's default initialisation so weights follow the seed exactly as a Conv3d's would.
        using var template = nn.Conv3d(inChannels, outChannels, (1, kernel, kernel), stride: (1, stride, stride), padding: (0, kernel / 2, kernel / 2));
        weight = new Parameter(template.weight!.detach().clone());
        bias = new Parameter(template.bias!.detach().clone());
        this.stride = stride;
        padding = kernel / 2;
        RegisterComponents();
    }

    /// <summary>The kernel, <c>[out, in, 1, k, k]</c>.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var frames = x.transpose(1, 2).reshape(b * t, c, h, w);
        var y = Runtime.OneDnnConv.Conv2d(frames, weight.squeeze(2), bias, stride, padding);
        return y.reshape(b, t, y.shape[1], y.shape[2], y.shape[3]).transpose(1, 2).MoveToOuterDisposeScope();
    }
}
