using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// A frozen <c>nn.Conv2d</c> as LPIPS stores it (<c>weight</c> <c>[out, in, k, k]</c>, optional
/// <c>bias</c>), computed through <see cref="Runtime.OneDnnConv"/> so that oneDNN, when it is on,
/// only sees the channel widths it computes correctly on this CPU. The parameters do not require
/// gradients (the metric is never trained here), but gradients still flow to the inputs, so LPIPS
/// can serve as a perceptual loss.
/// </summary>
internal sealed class LpipsConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long stride;
    private readonly long padding;

    /// <summary>
    /// A convolution with He-normal weights and small normal biases drawn from <paramref name="generator"/>
    /// (placeholders: real use loads trained weights over them).
    /// </summary>
    public LpipsConv(long inChannels, long outChannels, long kernel, long stride, long padding, bool hasBias, Generator generator)
        : base(nameof(LpipsConv))
    {
        double std = Math.Sqrt(2.0 / (inChannels * kernel * kernel));
        weight = new Parameter(torch.randn([outChannels, inChannels, kernel, kernel], generator: generator).mul_(std), requires_grad: false);
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new Parameter(torch.randn([outChannels], generator: generator).mul_(0.1), requires_grad: false);
            register_parameter("bias", bias);
        }
        this.stride = stride;
        this.padding = padding;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Runtime.OneDnnConv.Conv2d(x, weight, bias, stride, padding);
}
