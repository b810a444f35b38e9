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
    private readonly SpatialAttention? spatial_attention;
    private readonly TemporalAttention? temporal_attention;

    /// <summary>Wraps the three parts; either attention may be null (left out).</summary>
    public ResnetAttentionBlock(ResnetBlock3D resnet, SpatialAttention? spatialAttention, TemporalAttention? temporalAttention) : base(nameof(ResnetAttentionBlock))
    {
        this.resnet = resnet;
        spatial_attention = spatialAttention;
        temporal_attention = temporalAttention;
        RegisterComponents();
    }

    /// <summary><c>[B, Cin, T, H, W]</c> and the embedding <c>[B, E]</c> to <c>[B, Cout, T, H, W]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor embedding)
    {
        using var scope = torch.NewDisposeScope();
        var h = resnet.call(x, embedding);
        if (spatial_attention is not null) h = spatial_attention.call(h);
        if (temporal_attention is not null) h = temporal_attention.call(h);
        return h.MoveToOuterDisposeScope();
    }
}
