using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// Doubles H and W by nearest-neighbour repetition, then smooths with a 1x3x3 convolution
/// (avoids the checkerboard artefacts of transposed convolutions); T and the width are kept.
/// </summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private readonly SpatialConv conv;

    /// <summary>An upsampler for <paramref name="channels"/>-wide feature maps.</summary>
    public Upsample(long channels) : base(nameof(Upsample))
    {
        conv = Layers.SpatialConv(channels, channels);
        RegisterComponents();
    }

    /// <summary><c>[B, C, T, H, W]</c> to <c>[B, C, T, 2H, 2W]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var repeated = nn.functional.interpolate(x, scale_factor: [1.0, 2.0, 2.0], mode: InterpolationMode.Nearest);
        return conv.call(repeated).MoveToOuterDisposeScope();
    }
}
