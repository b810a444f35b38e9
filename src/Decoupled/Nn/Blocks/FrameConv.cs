using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// A 2D convolution over <c>[B, C, H, W]</c> with the state dict and initialisation of
/// <c>nn.Conv2d</c> (weight <c>[out, in, k, k]</c>, optional bias), computed through
/// <see cref="Runtime.OneDnnConv"/> so oneDNN stays on the widths it computes correctly.
/// </summary>
public sealed class FrameConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long stride;
    private readonly long padding;

    /// <summary>A k x k convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> with "same" padding.</summary>
    public FrameConv(long inChannels, long outChannels, long kernel, long stride = 1, bool hasBias = true) : base(nameof(FrameConv))
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentException($"kernel size must be odd and positive, got {kernel}.", nameof(kernel));
        using var template = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, bias: hasBias);
        weight = new Parameter(template.weight!.detach().clone());
        bias = hasBias ? new Parameter(template.bias!.detach().clone()) : null;
        this.stride = stride;
        padding = kernel / 2;
        RegisterComponents();
    }

    /// <summary>The kernel, <c>[out, in, k, k]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias <c>[out]</c>, or null without one.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Runtime.OneDnnConv.Conv2d(x, weight, bias, stride, padding);
}
