using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Upsample = Decoupled.Nn.Blocks.Upsample;

namespace Decoupled.Nn.UNet;

/// <summary>One level of the contracting path: its blocks, each output kept as a skip, then a downsample (all but the last level).</summary>
public sealed class DownLevel : nn.Module<Tensor, Tensor, (Tensor Output, Tensor[] Skips)>
{
    private readonly ModuleList<ResnetAttentionBlock> blocks;
    private readonly Downsample? downsample;

    /// <summary>Wraps <paramref name="blocks"/> and an optional <paramref name="downsample"/>.</summary>
    public DownLevel(IEnumerable<ResnetAttentionBlock> blocks, Downsample? downsample) : base(nameof(DownLevel))
    {
        this.blocks = nn.ModuleList(blocks.ToArray());
        this.downsample = downsample;
        RegisterComponents();
    }

    /// <summary>Runs the level; the skips are the block outputs before downsampling, in order.</summary>
    public override (Tensor Output, Tensor[] Skips) forward(Tensor h, Tensor embedding)
    {
        var skips = new Tensor[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
            h = skips[i] = blocks[i].call(h, embedding);
        return (downsample is null ? h : downsample.call(h), skips);
    }
}

/// <summary>One level of the expanding path: each block first concatenates a skip of the mirrored down level (last one first), then an upsample (all but level 0).</summary>
public sealed class UpLevel : nn.Module<Tensor, Tensor[], Tensor, Tensor>
{
    private readonly ModuleList<ResnetAttentionBlock> blocks;
    private readonly Upsample? upsample;

    /// <summary>Wraps <paramref name="blocks"/> and an optional <paramref name="upsample"/>.</summary>
    public UpLevel(IEnumerable<ResnetAttentionBlock> blocks, Upsample? upsample) : base(nameof(UpLevel))
    {
        this.blocks = nn.ModuleList(blocks.ToArray());
        this.upsample = upsample;
        RegisterComponents();
    }

    /// <summary>Runs the level on <paramref name="h"/> with the <paramref name="skips"/> its down level produced.</summary>
    public override Tensor forward(Tensor h, Tensor[] skips, Tensor embedding)
    {
        if (skips.Length != blocks.Count)
            throw new ArgumentException($"an up level with {blocks.Count} blocks needs {blocks.Count} skips, got {skips.Length}.");
        for (int i = 0; i < blocks.Count; i++)
            h = blocks[i].call(torch.cat([h, skips[^(i + 1)]], 1), embedding);
        return upsample is null ? h : upsample.call(h);
    }
}

/// <summary>The bottleneck at the smallest size: ResNet block, spatial attention, temporal attention, ResNet block.</summary>
public sealed class MiddleBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ResnetBlock3D resnet1;
    private readonly SpatialAttention spatial_attention;
    private readonly TemporalAttention? temporal_attention;
    private readonly ResnetBlock3D resnet2;

    /// <summary>Wraps the four parts; <paramref name="temporalAttention"/> may be null (left out).</summary>
    public MiddleBlock(ResnetBlock3D resnet1, SpatialAttention spatialAttention, TemporalAttention? temporalAttention, ResnetBlock3D resnet2) : base(nameof(MiddleBlock))
    {
        this.resnet1 = resnet1;
        spatial_attention = spatialAttention;
        temporal_attention = temporalAttention;
        this.resnet2 = resnet2;
        RegisterComponents();
    }

    /// <summary><c>[B, C, T, h, w]</c> and the embedding to the same shape.</summary>
    public override Tensor forward(Tensor h, Tensor embedding)
    {
        using var scope = torch.NewDisposeScope();
        h = spatial_attention.call(resnet1.call(h, embedding));
        if (temporal_attention is not null) h = temporal_attention.call(h);
        return resnet2.call(h, embedding).MoveToOuterDisposeScope();
    }
}
