using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// One step of a U-Net level: a <see cref="ResnetBlock3D"/>, then (where configured)
/// <see cref="SpatialAttention"/>, then (where configured) <see cref="TemporalAttention"/>.
/// </summary>
public sealed class ResnetAttentionBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ResnetBlock3D resnet;
    private readonly SpatialAttention? spatialAttention;
    private readonly TemporalAttention? temporalAttention;

    /// <summary>Wraps the three parts; either attention may be null (left out).</summary>
    public ResnetAttentionBlock(ResnetBlock3D resnet, SpatialAttention? spatialAttention, TemporalAttention? temporalAttention) : base(nameof(ResnetAttentionBlock))
    {
        this.resnet = resnet;
        this.spatialAttention = spatialAttention;
        this.temporalAttention = temporalAttention;
        register_module("resnet", resnet);
        if (spatialAttention is not null) register_module("spatial_attention", spatialAttention);
        if (temporalAttention is not null) register_module("temporal_attention", temporalAttention);
    }

    /// <summary><c>[B, Cin, T, H, W]</c> and the embedding <c>[B, E]</c> to <c>[B, Cout, T, H, W]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor embedding)
    {
        using var scope = torch.NewDisposeScope();
        var h = resnet.call(x, embedding);
        if (spatialAttention is not null) h = spatialAttention.call(h);
        if (temporalAttention is not null) h = temporalAttention.call(h);
        return h.MoveToOuterDisposeScope();
    }
}
