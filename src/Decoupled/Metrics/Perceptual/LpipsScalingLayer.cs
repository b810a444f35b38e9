using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// LPIPS v0.1's input scaling (<c>scaling_layer</c>): <c>(x - shift) / scale</c> per RGB channel,
/// moving [-1, 1] images to roughly the ImageNet statistics the trunks were trained on. The two
/// constants are persistent buffers of shape <c>[1, 3, 1, 1]</c>, as in the package's state dict.
/// </summary>
internal sealed class LpipsScalingLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>The package's shift per channel.</summary>
    public static readonly float[] DefaultShift = [-.030f, -.088f, -.188f];

    /// <summary>The package's scale per channel.</summary>
    public static readonly float[] DefaultScale = [.458f, .448f, .450f];

    private readonly Tensor shift;
    private readonly Tensor scale;

    /// <summary>The scaling with the package's constants.</summary>
    public LpipsScalingLayer() : base(nameof(LpipsScalingLayer))
    {
        shift = torch.tensor(DefaultShift).reshape(1, 3, 1, 1);
        scale = torch.tensor(DefaultScale).reshape(1, 3, 1, 1);
        register_buffer("shift", shift);
        register_buffer("scale", scale);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => (x - shift).div_(scale);
}
