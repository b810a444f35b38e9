using Decoupled.Nn.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>Halves H and W with a stride-2 3x3 convolution, or (up) doubles them by nearest-neighbour upsampling and a 3x3 convolution.</summary>
public sealed class Resample2D : nn.Module<Tensor, Tensor>
{
    private readonly FrameConv conv;
    private readonly bool up;

    /// <summary>A resampler of <paramref name="channels"/>-wide maps.</summary>
    public Resample2D(long channels, bool up) : base(nameof(Resample2D))
    {
        conv = new FrameConv(channels, channels, 3, stride: up ? 1 : 2);
        this.up = up;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (!up) return conv.call(x);
        using var scope = NewDisposeScope();
        var larger = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        return conv.call(larger).MoveToOuterDisposeScope();
    }
}
