using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>Halves H and W with a strided 1x3x3 convolution; T and the width are kept.</summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private readonly SpatialConv conv;

    /// <summary>A downsampler for <paramref name="channels"/>-wide feature maps.</summary>
    public Downsample(long channels) : base(nameof(Downsample))
    {
        conv = Layers.SpatialConv(channels, channels, stride: 2);
        RegisterComponents();
    }

    /// <summary><c>[B, C, T, H, W]</c> to <c>[B, C, T, H/2, W/2]</c> (H and W even).</summary>
    public override Tensor forward(Tensor x) => conv.call(x);
}
