using Decoupled.Metrics.Perceptual;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Metrics.Perceptual;

/// <summary>Properties of the metric and the network's layout that hold for any weights.</summary>
public class LpipsNetworkTests
{
    private static readonly long[] Tiny = [4, 6, 8, 6, 6];

    [Theory]
    [InlineData(LpipsBackbone.Alex, 40)]
    [InlineData(LpipsBackbone.Vgg16, 24)]
    public void IdenticalImagesGiveExactlyZero(LpipsBackbone backbone, int size)
    {
        using var network = new LpipsNetwork(backbone, Tiny, seed: 1);
        using var scope = NewDisposeScope();
        var x = Images(3, size, seed: 5);
        Assert.All(network.Distances(x, x.clone()), d => Assert.Equal(0.0, d));
    }

    [Theory]
    [InlineData(LpipsBackbone.Alex, 40)]
    [InlineData(LpipsBackbone.Vgg16, 24)]
    public void DistanceIsSymmetricAndPositiveForDifferentImages(LpipsBackbone backbone, int size)
    {
        using var network = new LpipsNetwork(backbone, Tiny, seed: 2);
        using var scope = NewDisposeScope();
        var a = Images(2, size, seed: 6);
        var b = Images(2, size, seed: 7);
        var ab = network.Distances(a, b);
        var ba = network.Distances(b, a);
        Assert.All(ab, d => Assert.True(d > 0, $"expected a positive distance, got {d}"));
        Assert.Equal(ab, ba);
    }

    [Fact]
    public void ClipAgainstItselfScoresZeroOnEveryFrame()
    {
        using var network = new LpipsNetwork(LpipsBackbone.Alex, Tiny, seed: 3);
        var clip = new VideoClip(3, 32, 36);
        new Random(4).NextBytes(clip.Pixels);
        var scores = LpipsVideo.Score(network, clip, clip.Clone());
        Assert.Equal([0.0, 0.0, 0.0], scores.PerFrame);
        Assert.Equal(0.0, scores.Mean);
    }

    [Fact]
    public void StateDictHasTheLpipsPackageNamesAndShapes()
    {
        using var alex = new LpipsNetwork(LpipsBackbone.Alex);
        var shapes = alex.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        string[] expected =
        [
            "scaling_layer.shift", "scaling_layer.scale",
            "net.slice1.0.weight", "net.slice1.0.bias", "net.slice2.3.weight", "net.slice2.3.bias",
            "net.slice3.6.weight", "net.slice3.6.bias", "net.slice4.8.weight", "net.slice4.8.bias",
            "net.slice5.10.weight", "net.slice5.10.bias",
            "lin0.model.1.weight", "lin1.model.1.weight", "lin2.model.1.weight", "lin3.model.1.weight", "lin4.model.1.weight",
        ];
        // TorchSharp lists parameters before buffers; names, not order, are what a file is matched by.
        Assert.Equal(expected.Order(StringComparer.Ordinal), shapes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1L, 3, 1, 1], shapes["scaling_layer.scale"]);
        Assert.Equal([64L, 3, 11, 11], shapes["net.slice1.0.weight"]);
        Assert.Equal([192L, 64, 5, 5], shapes["net.slice2.3.weight"]);
        Assert.Equal([384L, 192, 3, 3], shapes["net.slice3.6.weight"]);
        Assert.Equal([256L, 256, 3, 3], shapes["net.slice5.10.weight"]);
        Assert.Equal([1L, 384, 1, 1], shapes["lin2.model.1.weight"]);
        Assert.Equal(2_470_848L, alex.parameters().Sum(p => p.numel()));

        using var vgg = new LpipsNetwork(LpipsBackbone.Vgg16, Tiny);
        var names = vgg.state_dict().Keys.ToList();
        int[] convIndices = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28];
        Assert.Equal(2 + 2 * convIndices.Length + 5, names.Count);
        Assert.Contains("net.slice1.2.weight", names);
        Assert.Contains("net.slice3.14.bias", names);
        Assert.Contains("net.slice5.28.weight", names);
        Assert.Equal(convIndices, names.Where(n => n.StartsWith("net.", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal))
            .Select(n => int.Parse(n.Split('.')[2])));
    }

    [Fact]
    public void PublishedScalingConstantsAreTheBuffers()
    {
        using var network = new LpipsNetwork(LpipsBackbone.Alex, Tiny);
        var state = network.state_dict();
        Assert.Equal([-.030f, -.088f, -.188f], state["scaling_layer.shift"].data<float>().ToArray());
        Assert.Equal([.458f, .448f, .450f], state["scaling_layer.scale"].data<float>().ToArray());
    }

    [Theory]
    [InlineData(LpipsBackbone.Alex, 31)]
    [InlineData(LpipsBackbone.Vgg16, 16)]
    public void ImagesBelowTheMinimumSizeAreRejected(LpipsBackbone backbone, int minimum)
    {
        using var network = new LpipsNetwork(backbone, Tiny);
        Assert.Equal(minimum, network.MinimumSize);
        using var scope = NewDisposeScope();
        var fits = Images(1, minimum, seed: 1);
        Assert.Single(network.Distances(fits, Images(1, minimum, seed: 2)));
        var small = Images(1, minimum - 1, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => network.Distances(small, small));
        Assert.Contains($"{minimum}x{minimum}", e.Message);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        using var network = new LpipsNetwork(LpipsBackbone.Vgg16, Tiny);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => network.Distances(Images(1, 32, 1), Images(1, 33, 1)));
        Assert.Throws<ArgumentException>(() => network.Distances(torch.zeros(1, 1, 32, 32), torch.zeros(1, 1, 32, 32)));
        Assert.Throws<ArgumentException>(() => LpipsVideo.Score(network, new VideoClip(2, 32, 32), new VideoClip(3, 32, 32)));
    }

    [Fact]
    public void GradientsReachTheInputsButNotTheFrozenWeights()
    {
        using var network = new LpipsNetwork(LpipsBackbone.Alex, Tiny, seed: 4);
        using var scope = NewDisposeScope();
        var x = Images(1, 40, seed: 8).requires_grad_(true);
        network.forward(x, Images(1, 40, seed: 9)).sum().backward();
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
        Assert.All(network.parameters(), p => Assert.False(p.requires_grad));
    }

    // Uniform images in [-1, 1] from their own generator (leaves the global RNG alone).
    private static Tensor Images(int count, int size, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return torch.rand([count, 3, size, size], generator: generator).mul_(2).sub_(1);
    }
}
