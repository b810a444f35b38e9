using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Reference;

/// <summary>
/// The reference video classifier for data no pretrained network knows (the built-in shapes):
/// <code>
/// h = SiLU(GroupNorm(stem(x)))                   1x3x3, stride 2
/// h = blocks(h)                                  (2+1)D blocks, each halving H and W
/// f = mean_{T,H,W} SiLU(GroupNorm(to_features(h)))   1x1x1 to FeatureDim, pooled: the features
/// logits = head(f)                               linear to the classes
/// </code>
/// Global average pooling makes it indifferent to where in the clip a motion happens; the pooled
/// vector plays the part I3D's logits play in FVD. The stem already halves the frame (as a ResNet
/// stem does): at full resolution its activations made a 16x64x64 step memory-bound and about 4x
/// slower, for shapes that are many pixels wide anyway. Input: <c>[B, 3, T, H, W]</c> in [-1, 1].
/// </summary>
public sealed class ShapesClassifier : nn.Module<Tensor, Tensor>
{
    private readonly SpatialConv stem;
    private readonly GroupNorm stem_norm;
    private readonly ModuleList<FactorizedBlock> blocks;
    private readonly SpatialConv to_features;
    private readonly GroupNorm feature_norm;
    private readonly Linear head;

    /// <summary>A classifier of <paramref name="config"/>'s shape with fresh weights (they follow torch's global seed).</summary>
    public ShapesClassifier(ShapesClassifierConfig config) : base(nameof(ShapesClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        long groups = config.NormGroups, channels = config.BaseChannels;
        stem = Layers.SpatialConv(3, channels, stride: 2);
        stem_norm = Layers.GroupNorm(channels, groups);
        var list = new List<FactorizedBlock>();
        for (int i = 0; i < config.ChannelMultipliers.Count; i++)
        {
            list.Add(new FactorizedBlock(channels, config.BlockChannels(i), config.TemporalKernel, groups));
            channels = config.BlockChannels(i);
        }
        blocks = nn.ModuleList(list.ToArray());
        to_features = Layers.PointwiseConv(channels, config.FeatureDim);
        feature_norm = Layers.GroupNorm(config.FeatureDim, groups);
        head = nn.Linear(config.FeatureDim, config.Classes);
        RegisterComponents();
    }

    /// <summary>The shape.</summary>
    public ShapesClassifierConfig Config { get; }

    /// <summary>Logits <c>[B, Classes]</c> of clips <c>[B, 3, T, H, W]</c> in [-1, 1].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.call(Features(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The pooled penultimate vector <c>[B, FeatureDim]</c> of clips <c>[B, 3, T, H, W]</c> in [-1, 1].</summary>
    public Tensor Features(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 5 || x.shape[1] != 3)
            throw new ArgumentException($"expected clips [B, 3, T, H, W], got [{string.Join(", ", x.shape)}]");
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(stem_norm.call(stem.call(x)));
        foreach (var block in blocks) h = block.call(h);
        h = nn.functional.silu(feature_norm.call(to_features.call(h)));
        return h.mean([2, 3, 4]).MoveToOuterDisposeScope();
    }

    /// <summary>Features and the logits read from them, in one pass.</summary>
    public (Tensor Features, Tensor Logits) FeaturesAndLogits(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = Features(x);
        var logits = head.call(features);
        return (features.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
