using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// A learned per-channel weighting (<c>lin{k}</c>): a 1x1 convolution C -> 1 without bias, stored
/// as <c>lin{k}.model.1.weight</c> (<c>model.0</c> is a dropout, which has no parameters and does
/// nothing at evaluation, so it is left out).
/// </summary>
internal sealed class LpipsLinearHead : nn.Module<Tensor, Tensor>
{
    private readonly LpipsConv conv;

    /// <summary>A head over <paramref name="channels"/> channels with non-negative random weights (trained heads are clamped to be non-negative).</summary>
    public LpipsLinearHead(long channels, Generator generator) : base(nameof(LpipsLinearHead))
    {
        conv = new LpipsConv(channels, 1, kernel: 1, stride: 1, padding: 0, hasBias: false, generator);
        using (torch.no_grad())
        {
            foreach (var p in conv.parameters())
                p.copy_(torch.rand(p.shape, generator: generator));
        }
        var model = new HeadModel(conv);
        register_module("model", model);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => conv.forward(x);

    /// <summary>
    /// Nothing: the convolution is registered by hand as <c>model.1</c>. TorchSharp runs this when the
    /// head is registered in its parent, and its field-name default would add the same weight again as <c>conv.weight</c>.
    /// </summary>
    protected override void RegisterComponents() { }

    /// <summary>Holds the convolution under the name <c>1</c>, where <c>nn.Sequential(Dropout, Conv2d)</c> keeps it.</summary>
    private sealed class HeadModel : nn.Module
    {
        public HeadModel(LpipsConv conv) : base("model") => register_module("1", conv);
    }
}
