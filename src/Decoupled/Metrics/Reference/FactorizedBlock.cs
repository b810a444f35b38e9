using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Reference;

/// <summary>
/// A (2+1)D block (R(2+1)D, Tran et al. 2018) of the reference classifier:
/// <code>
/// h = SiLU(GroupNorm(spatial(x)))     1x3x3, stride 2: halves H and W
/// h = SiLU(GroupNorm(temporal(h)))    3x1x1: mixes neighbouring frames
/// </code>
/// Factorising the 3x3x3 kernel keeps the parameter count small and puts a nonlinearity between
/// "where" and "how it moves", which is what the shapes actions differ in.
/// </summary>
public sealed class FactorizedBlock : nn.Module<Tensor, Tensor>
{
    private readonly SpatialConv spatial;
    private readonly GroupNorm spatial_norm;
    private readonly TemporalConv temporal;
    private readonly GroupNorm temporal_norm;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/> that halves height and width.</summary>
    public FactorizedBlock(long inChannels, long outChannels, long temporalKernel, long groups) : base(nameof(FactorizedBlock))
    {
        spatial = Layers.SpatialConv(inChannels, outChannels, stride: 2);
        spatial_norm = Layers.GroupNorm(outChannels, groups);
        temporal = new TemporalConv(outChannels, outChannels, temporalKernel);
        temporal_norm = Layers.GroupNorm(outChannels, groups);
        RegisterComponents();
    }

    /// <summary><c>[B, Cin, T, H, W]</c> to <c>[B, Cout, T, ceil(H/2), ceil(W/2)]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(spatial_norm.call(spatial.call(x)));
        return nn.functional.silu(temporal_norm.call(temporal.call(h))).MoveToOuterDisposeScope();
    }
}
