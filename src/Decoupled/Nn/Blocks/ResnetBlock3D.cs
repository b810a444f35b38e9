using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// The U-Net's residual block (DDPM/ADM, spatial-only convs as in VDM):
/// <code>
/// h = conv1(SiLU(GroupNorm(x)))                          1x3x3
/// h = GroupNorm(h) * (1 + scale) + shift                 FiLM from the time+condition embedding
/// h = conv2(Dropout(SiLU(h)))                            1x3x3, zero-initialised
/// return h + skip(x)                                     skip = 1x1x1 conv when the width changes
/// </code>
/// FiLM acts on the <em>normalised</em> activations (ADM's scale-shift norm): applied before a
/// GroupNorm it would be normalised away. With conv2 at zero a fresh block is the identity
/// (or its skip projection), which keeps a deep U-Net's output well-scaled at the start.
/// </summary>
public sealed class ResnetBlock3D : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly SpatialConv conv1;
    private readonly Linear to_scale_shift;
    private readonly GroupNorm norm2;
    private readonly Dropout dropout;
    private readonly SpatialConv conv2;
    private readonly SpatialConv? skip;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/>, modulated by embeddings of width <paramref name="embeddingDim"/>.</summary>
    public ResnetBlock3D(long inChannels, long outChannels, long embeddingDim, long groups, double dropout = 0.0) : base(nameof(ResnetBlock3D))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        norm1 = Layers.GroupNorm(inChannels, groups);
        conv1 = Layers.SpatialConv(inChannels, outChannels);
        to_scale_shift = nn.Linear(embeddingDim, 2 * outChannels);
        norm2 = Layers.GroupNorm(outChannels, groups);
        this.dropout = nn.Dropout(dropout);
        conv2 = Layers.ZeroInit(Layers.SpatialConv(outChannels, outChannels));
        skip = inChannels == outChannels ? null : Layers.PointwiseConv(inChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>Input width.</summary>
    public long InChannels { get; }

    /// <summary>Output width.</summary>
    public long OutChannels { get; }

    /// <summary><paramref name="x"/> <c>[B, Cin, T, H, W]</c> and <paramref name="embedding"/> <c>[B, E]</c> to <c>[B, Cout, T, H, W]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor embedding)
    {
        using var scope = torch.NewDisposeScope();
        var h = conv1.call(nn.functional.silu(norm1.call(x)));
        var film = to_scale_shift.call(nn.functional.silu(embedding)).view(x.shape[0], 2 * OutChannels, 1, 1, 1);
        var scaleShift = film.chunk(2, 1);
        h = norm2.call(h) * (scaleShift[0] + 1) + scaleShift[1];
        h = conv2.call(dropout.call(nn.functional.silu(h)));
        var residual = skip is null ? x : skip.call(x);
        return (h + residual).MoveToOuterDisposeScope();
    }
}
