using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// The few layer shapes every block of the 3D U-Net is built from. Convolutions act on
/// <c>[B, C, T, H, W]</c>; "spatial" ones have a 1x3x3 kernel, so they never mix frames
/// (mixing across time is the job of <see cref="TemporalAttention"/>, as in VDM).
/// </summary>
public static class Layers
{
    /// <summary>A 1x3x3 convolution with "same" padding (or halving H and W with <paramref name="stride"/> 2).</summary>
    public static SpatialConv SpatialConv(long inChannels, long outChannels, long stride = 1) => new(inChannels, outChannels, stride);

    /// <summary>A 1x1x1 convolution: a per-position linear map of the channels.</summary>
    public static SpatialConv PointwiseConv(long inChannels, long outChannels) => new(inChannels, outChannels, kernel: 1);

    /// <summary>
    /// GroupNorm with <paramref name="groups"/> groups, or the largest divisor of
    /// <paramref name="channels"/> below it, so narrow test configurations need no special case.
    /// Its affine weight starts at 1 and bias at 0 as in PyTorch: TorchSharp 0.107's
    /// <c>nn.GroupNorm</c> leaves both uninitialised (zeros or garbage, varying from run to run).
    /// </summary>
    public static GroupNorm GroupNorm(long channels, long groups)
    {
        var norm = nn.GroupNorm(GroupsFor(channels, groups), channels);
        using (torch.no_grad())
        {
            norm.weight!.fill_(1.0);
            norm.bias!.zero_();
        }
        return norm;
    }

    /// <summary>The number of groups <see cref="GroupNorm"/> uses for <paramref name="channels"/>.</summary>
    public static long GroupsFor(long channels, long groups)
    {
        if (channels < 1 || groups < 1) throw new ArgumentException($"GroupNorm needs channels and groups >= 1, got {channels} and {groups}.");
        long g = Math.Min(groups, channels);
        while (channels % g != 0) g--;
        return g;
    }

    /// <summary>Sets every parameter of <paramref name="module"/> to zero and returns it (a block that starts as the identity).</summary>
    public static T ZeroInit<T>(T module) where T : nn.Module
    {
        using (torch.no_grad())
        {
            foreach (var parameter in module.parameters())
                parameter.zero_();
        }
        return module;
    }
}
