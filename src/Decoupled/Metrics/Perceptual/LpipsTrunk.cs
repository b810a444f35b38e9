using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>The trunk (<c>net</c>): five slices run in turn, each slice's output being one compared feature map.</summary>
internal sealed class LpipsTrunk : nn.Module<Tensor, Tensor[]>
{
    private readonly LpipsSlice[] slices;

    /// <summary>The trunk of <paramref name="backbone"/> with slice widths <paramref name="widths"/>.</summary>
    public LpipsTrunk(LpipsBackbone backbone, IReadOnlyList<long> widths, Generator generator) : base(nameof(LpipsTrunk))
    {
        var layout = LpipsLayout.Slices(backbone);
        slices = new LpipsSlice[layout.Count];
        long channels = LpipsLayout.InputChannels;
        for (int k = 0; k < slices.Length; k++)
        {
            slices[k] = new LpipsSlice(layout[k], channels, widths[k], generator);
            register_module($"slice{k + 1}", slices[k]);
            channels = widths[k];
        }
    }

    /// <summary>The five feature maps (ReLU outputs) of <paramref name="x"/>, already scaled.</summary>
    public override Tensor[] forward(Tensor x)
    {
        var features = new Tensor[slices.Length];
        var h = x;
        for (int k = 0; k < slices.Length; k++)
            h = features[k] = slices[k].forward(h);
        return features;
    }
}
