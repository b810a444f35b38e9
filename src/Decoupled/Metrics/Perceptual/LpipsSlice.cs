using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// One slice of the trunk (<c>net.slice{k}</c>): max pools and convolution + ReLU pairs, with each
/// convolution registered under its torchvision index so the state-dict names are the lpips
/// package's (<c>net.slice2.3.weight</c> ...).
/// </summary>
internal sealed class LpipsSlice : nn.Module<Tensor, Tensor>
{
    private readonly IReadOnlyList<LpipsStep> steps;
    private readonly Dictionary<int, LpipsConv> convs = [];

    /// <summary>The slice <paramref name="steps"/> from <paramref name="inChannels"/> to <paramref name="width"/> channels (every convolution outputs <paramref name="width"/>).</summary>
    public LpipsSlice(IReadOnlyList<LpipsStep> steps, long inChannels, long width, Generator generator) : base(nameof(LpipsSlice))
    {
        this.steps = steps;
        long channels = inChannels;
        foreach (var step in steps.Where(s => !s.IsPool))
        {
            var conv = new LpipsConv(channels, width, step.Kernel, step.Stride, step.Padding, hasBias: true, generator);
            convs.Add(step.Index, conv);
            register_module(step.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), conv);
            channels = width;
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var step in steps)
        {
            h = step.IsPool
                ? nn.functional.max_pool2d(h, kernel_size: step.Kernel, stride: step.Stride)
                : nn.functional.relu(convs[step.Index].forward(h));
        }
        return h.MoveToOuterDisposeScope();
    }
}
