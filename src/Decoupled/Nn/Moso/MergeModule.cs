using Decoupled.Nn.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// MOSO's merge module (equations 3-8): builds weight features from the scene s, the object o and
/// frame t's motion m_t at three scales (the content grid, then halved twice by strided
/// convolutions; m_t is resized to each), fuses them after bilinear upsampling into a sigmoid gate,
/// and mixes <c>f_t = gate * o + (1 - gate) * s</c>. Motion acts only through the gate, which is
/// what lets a time-independent decoder place the object frame by frame.
/// </summary>
public sealed class MergeModule : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<FrameConv> downs;
    private readonly TorchSharp.Modules.ModuleList<FrameConv> weights;
    private readonly FrameConv fuse;

    /// <summary>A merge of <paramref name="channels"/>-wide features over <paramref name="scales"/> scales (1 to 3).</summary>
    public MergeModule(int channels, int scales = 3) : base(nameof(MergeModule))
    {
        if (scales is < 1 or > 3) throw new ArgumentException($"the merge module uses 1 to 3 scales, got {scales}");
        Scales = scales;
        // D_k: each further scale halves [s, o] once more.
        downs = nn.ModuleList(Enumerable.Range(1, scales - 1).Select(_ => new FrameConv(2L * channels, 2L * channels, 3, stride: 2)).ToArray());
        // L_k of equations 3-5: [D_k(s), D_k(o), m_t at that scale] -> a weight feature.
        weights = nn.ModuleList(Enumerable.Range(0, scales).Select(_ => new FrameConv(3L * channels, channels, 1)).ToArray());
        // L of equation 7: the concatenated, upsampled weight features -> the gate's logits.
        fuse = new FrameConv((long)scales * channels, channels, 1);
        RegisterComponents();
    }

    /// <summary>Scales of the weight features.</summary>
    public int Scales { get; }

    /// <summary>The gate sigmoid(L[W1, up(W2), up(W3)]) (equations 6-7), <c>[N, C, h, w]</c> in (0, 1).</summary>
    public Tensor Gate(Tensor scene, Tensor obj, Tensor motion)
    {
        using var scope = NewDisposeScope();
        long h = scene.shape[2], w = scene.shape[3];
        var content = torch.cat([scene, obj], 1);
        var features = new List<Tensor>();
        for (int k = 0; k < Scales; k++)
        {
            if (k > 0) content = nn.functional.relu(downs[k - 1].call(content));
            var m = Resize(motion, content.shape[2], content.shape[3]);
            var weight = weights[k].call(torch.cat([content, m], 1));
            features.Add(Resize(weight, h, w));
        }
        return torch.sigmoid(fuse.call(torch.cat(features.ToArray(), 1))).MoveToOuterDisposeScope();
    }

    /// <summary>Frame feature f_t = gate * o + (1 - gate) * s (equation 8), for s, o <c>[N, C, h, w]</c> and m_t <c>[N, C, h', w']</c>.</summary>
    public override Tensor forward(Tensor scene, Tensor obj, Tensor motion)
    {
        using var scope = NewDisposeScope();
        var gate = Gate(scene, obj, motion);
        // s + gate * (o - s): the same mix without a scalar operand (see README, Runtime notes).
        return (scene + gate * (obj - scene)).MoveToOuterDisposeScope();
    }

    private static Tensor Resize(Tensor x, long h, long w) =>
        x.shape[2] == h && x.shape[3] == w ? x.alias() : nn.functional.interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
}
