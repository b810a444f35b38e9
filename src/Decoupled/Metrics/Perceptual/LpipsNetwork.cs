using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// LPIPS v0.1 (Zhang, Isola, Efros, Shechtman and Wang 2018), computed exactly as the <c>lpips</c>
/// package's <c>LPIPS(net=..., version='0.1')</c> in evaluation mode, with the same state-dict names
/// (<c>scaling_layer.*</c>, <c>net.slice{k}.{i}.*</c>, <c>lin{k}.model.1.weight</c>):
/// both images are scaled, passed through the trunk; each of the five feature maps is normalized
/// to unit length over channels at every position, the squared differences are weighted per channel
/// by a learned 1x1 head, averaged over the positions, and the five layers summed.
/// Load trained weights with <see cref="LpipsWeights.Load"/>; a network made with the constructor
/// has random weights (for tests, or to write a file of the right layout).
/// </summary>
public sealed class LpipsNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>The package's <c>eps</c> in <c>normalize_tensor</c>, added to the norm (not under the root).</summary>
    public const double NormEpsilon = 1e-10;

    private readonly LpipsScalingLayer scaling;
    private readonly LpipsTrunk trunk;
    private readonly LpipsLinearHead[] heads;

    /// <summary>
    /// A network of <paramref name="backbone"/> with random weights drawn from <paramref name="seed"/>
    /// (the global torch generator is not touched). <paramref name="widths"/> gives the five slices'
    /// channel widths (default: the published ones); narrow widths make small test networks with
    /// the same kernels, strides and pools.
    /// </summary>
    public LpipsNetwork(LpipsBackbone backbone, IReadOnlyList<long>? widths = null, long seed = 0) : base(nameof(LpipsNetwork))
    {
        var sliceWidths = widths?.ToArray() ?? LpipsLayout.DefaultWidths(backbone);
        if (sliceWidths.Length != LpipsLayout.SliceCount || sliceWidths.Any(w => w < 1))
            throw new ArgumentException($"LPIPS needs {LpipsLayout.SliceCount} positive slice widths, got [{string.Join(", ", sliceWidths)}]", nameof(widths));
        // Applies the oneDNN policy before the first convolution (LpipsConv relies on it).
        Runtime.TorchRuntime.Initialize();
        Backbone = backbone;
        Widths = sliceWidths;
        MinimumSize = LpipsLayout.MinimumSize(backbone);

        using var generator = new Generator((ulong)seed);
        scaling = new LpipsScalingLayer();
        trunk = new LpipsTrunk(backbone, sliceWidths, generator);
        heads = sliceWidths.Select(w => new LpipsLinearHead(w, generator)).ToArray();
        register_module("scaling_layer", scaling);
        register_module("net", trunk);
        for (int k = 0; k < heads.Length; k++)
            register_module($"lin{k}", heads[k]);
        eval();
    }

    /// <summary>The trunk.</summary>
    public LpipsBackbone Backbone { get; }

    /// <summary>Channel widths of the five compared feature maps.</summary>
    public IReadOnlyList<long> Widths { get; }

    /// <summary>The smallest image height and width every feature map needs (AlexNet 31, VGG16 16).</summary>
    public long MinimumSize { get; }

    /// <summary>
    /// The five layers' terms <c>[N, 5]</c> for image batches <paramref name="x0"/> and
    /// <paramref name="x1"/> <c>[N, 3, H, W]</c> in [-1, 1] (the package's <c>retPerLayer</c>, one column per layer).
    /// </summary>
    public Tensor PerLayer(Tensor x0, Tensor x1)
    {
        CheckInputs(x0, x1);
        using var scope = NewDisposeScope();
        var features0 = trunk.forward(scaling.forward(x0.to_type(ScalarType.Float32)));
        var features1 = trunk.forward(scaling.forward(x1.to_type(ScalarType.Float32)));
        var terms = new Tensor[heads.Length];
        for (int k = 0; k < heads.Length; k++)
        {
            var d = (Normalize(features0[k]) - Normalize(features1[k])).square();
            terms[k] = heads[k].forward(d).mean([1, 2, 3]);
        }
        return torch.stack(terms, 1).MoveToOuterDisposeScope();
    }

    /// <summary>LPIPS distance per image pair, <c>[N]</c>, for batches <c>[N, 3, H, W]</c> in [-1, 1].</summary>
    public override Tensor forward(Tensor x0, Tensor x1)
    {
        using var scope = NewDisposeScope();
        return PerLayer(x0, x1).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>LPIPS per image pair as numbers (no gradients kept).</summary>
    public double[] Distances(Tensor x0, Tensor x1)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        return forward(x0, x1).to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>
    /// Nothing: the parts are registered by hand under the package's names (<c>scaling_layer</c>, <c>net</c>,
    /// <c>lin{k}</c>); TorchSharp's field-name default (run if this network is registered in a parent)
    /// would add them again as <c>scaling</c> and <c>trunk</c>.
    /// </summary>
    protected override void RegisterComponents() { }

    // Unit length over channels at every position; the epsilon sits outside the root as in the package.
    private static Tensor Normalize(Tensor f) => f / (f.square().sum(1, keepdim: true).sqrt() + NormEpsilon);

    private void CheckInputs(Tensor x0, Tensor x1)
    {
        if (x0.dim() != 4 || x0.shape[1] != LpipsLayout.InputChannels)
            throw new ArgumentException($"LPIPS expects images [N, 3, H, W], got [{string.Join(", ", x0.shape)}]");
        if (!x0.shape.SequenceEqual(x1.shape))
            throw new ArgumentException($"LPIPS compares images of one shape, got [{string.Join(", ", x0.shape)}] and [{string.Join(", ", x1.shape)}]");
        if (x0.shape[2] < MinimumSize || x0.shape[3] < MinimumSize)
            throw new ArgumentException($"LPIPS {Backbone} needs images of at least {MinimumSize}x{MinimumSize} pixels, got {x0.shape[3]}x{x0.shape[2]}");
    }
}
