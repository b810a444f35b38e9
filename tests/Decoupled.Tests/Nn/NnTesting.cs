using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

/// <summary>Tiny U-Net configurations and helpers shared by the network tests.</summary>
internal static class NnTesting
{
    /// <summary>Two levels, width 8/16, attention at level 1, two heads of width 4: about 20k parameters.</summary>
    public static UNet3DConfig Tiny { get; } = new()
    {
        InChannels = 3,
        OutChannels = 3,
        BaseChannels = 8,
        ChannelMultipliers = [1, 2],
        ResBlocksPerLevel = 1,
        AttentionLevels = [1],
        AttentionHeads = 2,
        AttentionHeadDim = 4,
        MaxFrames = 8,
        NormGroups = 4,
    };

    /// <summary>
    /// Adds noise to every parameter, so zero-initialised layers (output projections, the last
    /// convs) stop hiding the paths a test wants to see.
    /// </summary>
    public static void Perturb(nn.Module module, double scale = 0.2)
    {
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            foreach (var parameter in module.parameters())
                parameter.add_(torch.randn_like(parameter) * scale);
        }
    }

    /// <summary>Timesteps <c>[batch]</c>, spread over [0, 1000).</summary>
    public static Tensor Timesteps(long batch) => torch.arange(batch, dtype: ScalarType.Int64) * 137 + 11;

    public static double MaxError(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
    }

    /// <summary>Largest difference of item <paramref name="index"/> of two batches.</summary>
    public static double ItemError(Tensor a, Tensor b, long index) => MaxError(a[index], b[index]);

    /// <summary>Conditioning for <paramref name="config"/> with random class ids, captions and first frames.</summary>
    public static UNetConditioning RandomConditioning(UNet3DConfig config, long batch, long height, long width)
    {
        Tensor? ids = config.NumClasses is int classes ? torch.randint(classes, [batch], dtype: ScalarType.Int64) : null;
        Tensor? text = config.TextDim is int dim ? torch.randn(batch, dim) : null;
        Tensor? frame = config.FirstFrameChannels > 0
            ? torch.rand(batch, 3, height * config.FirstFrameFactor, width * config.FirstFrameFactor) * 2 - 1
            : null;
        return new UNetConditioning(ids, text, frame);
    }
}
