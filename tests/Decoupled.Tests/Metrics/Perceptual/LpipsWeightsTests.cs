using Decoupled.IO.Safetensors;
using Decoupled.Metrics.Perceptual;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Metrics.Perceptual;

/// <summary>Loading LPIPS weight files: detection, accepted variants, and clear errors for wrong files.</summary>
public class LpipsWeightsTests
{
    [Fact]
    public void SavedRandomNetworkLoadsBackWithIdenticalOutputs()
    {
        using var dir = new TempDir();
        string path = dir.File("lpips_vgg.safetensors");
        using var original = new LpipsNetwork(LpipsBackbone.Vgg16, [5, 7, 9, 4, 3], seed: 11);
        ModuleWeights.Save(path, original);

        using var loaded = LpipsWeights.Load(path);
        Assert.Equal(LpipsBackbone.Vgg16, loaded.Backbone);
        Assert.Equal([5L, 7, 9, 4, 3], loaded.Widths);
        using var scope = NewDisposeScope();
        using var generator = new Generator(12);
        var a = torch.rand([2, 3, 20, 24], generator: generator).mul_(2).sub_(1);
        var b = torch.rand([2, 3, 20, 24], generator: generator).mul_(2).sub_(1);
        AssertSameUpToRounding(original.Distances(a, b), loaded.Distances(a, b));
        Assert.NotEqual(original.Distances(a, b), new LpipsNetwork(LpipsBackbone.Vgg16, [5, 7, 9, 4, 3], seed: 13).Distances(a, b));
    }

    [Fact]
    public void HeadsUnderTheModuleListNameAndNoScalingBuffersStillLoad()
    {
        // A file with lins.{k} heads only and without the (constant) scaling buffers gives the same metric.
        using var dir = new TempDir();
        string path = dir.File("renamed.safetensors");
        var tensors = SafetensorsTorch.Load(LpipsFixtures.AlexWeights);
        var kept = tensors.Where(p => !p.Key.StartsWith("lin", StringComparison.Ordinal) || p.Key.StartsWith("lins.", StringComparison.Ordinal))
            .Where(p => !p.Key.StartsWith("scaling_layer.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value);
        Assert.DoesNotContain("lin0.model.1.weight", kept.Keys);
        Assert.Contains("lins.0.model.1.weight", kept.Keys);
        SafetensorsTorch.Save(path, kept);

        var c = LpipsFixtures.Case("alex");
        using var reference = LpipsWeights.Load(LpipsFixtures.AlexWeights);
        using var renamed = LpipsWeights.Load(path);
        AssertSameUpToRounding(LpipsVideo.Score(reference, c.Clip0, c.Clip1).PerFrame, LpipsVideo.Score(renamed, c.Clip0, c.Clip1).PerFrame);
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>
    /// Same weights give the same metric up to float rounding: two runs of a convolution may sum in
    /// another order when other tests share the thread pool (seen 1 ulp apart on a fresh clone).
    /// </summary>
    private static void AssertSameUpToRounding(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i], 1e-6);
    }

    [Fact]
    public void HalfPrecisionFileLoads()
    {
        using var dir = new TempDir();
        string path = dir.File("half.safetensors");
        var tensors = SafetensorsTorch.Load(LpipsFixtures.VggWeights);
        SafetensorsTorch.Save(path, tensors.ToDictionary(p => p.Key, p => p.Value.to_type(ScalarType.BFloat16)));
        var c = LpipsFixtures.Case("vgg");
        using var network = LpipsWeights.Load(path);
        var scores = LpipsVideo.Score(network, c.Clip0, c.Clip1);
        // bf16 weights keep about 3 significant digits.
        for (int i = 0; i < c.Lpips.Length; i++)
            Assert.Equal(c.Lpips[i], scores.PerFrame[i], c.Lpips[i] * 0.05);
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void MissingHeadIsNamed()
    {
        var e = LoadEdited(LpipsFixtures.AlexWeights, t => { t.Remove("lin2.model.1.weight"); t.Remove("lins.2.model.1.weight"); }, out var path);
        Assert.Contains(path, e.Message);
        Assert.Contains("AlexNet", e.Message);
        Assert.Contains("missing lin2.model.1.weight", e.Message);
    }

    [Fact]
    public void MisshapedTensorIsNamedWithBothShapes()
    {
        var e = LoadEdited(LpipsFixtures.AlexWeights, t => t["net.slice3.6.weight"] = torch.zeros(8, 5, 3, 3), out var path);
        Assert.Contains(path, e.Message);
        Assert.Contains("net.slice3.6.weight has shape [8, 5, 3, 3], expected [8, 6, 3, 3]", e.Message);
    }

    [Fact]
    public void HeadOfTheWrongWidthIsNamed()
    {
        var e = LoadEdited(LpipsFixtures.VggWeights, t => t["lin4.model.1.weight"] = torch.zeros(1, 7, 1, 1), out _);
        Assert.Contains("VGG16", e.Message);
        Assert.Contains("lin4.model.1.weight has shape [1, 7, 1, 1], expected [1, 6, 1, 1]", e.Message);
    }

    [Fact]
    public void MissingTrunkBiasIsNamed()
    {
        var e = LoadEdited(LpipsFixtures.VggWeights, t => t.Remove("net.slice4.19.bias"), out _);
        Assert.Contains("missing net.slice4.19.bias", e.Message);
    }

    [Fact]
    public void IntegerTensorIsRejected()
    {
        var e = LoadEdited(LpipsFixtures.AlexWeights, t => t["lin0.model.1.weight"] = torch.zeros([1, 4, 1, 1], ScalarType.Int32), out _);
        Assert.Contains("lin0.model.1.weight holds I32", e.Message);
    }

    [Fact]
    public void NonLpipsSafetensorsIsRejected()
    {
        using var dir = new TempDir();
        string path = dir.File("unet.safetensors");
        SafetensorsTorch.Save(path, new Dictionary<string, Tensor> { ["conv_in.weight"] = torch.zeros(4, 3, 3, 3) });
        var e = Assert.Throws<UserInputException>(() => LpipsWeights.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an LPIPS weight file", e.Message);
        Assert.Contains("save_model", e.Message);
    }

    [Fact]
    public void ExplicitBackboneMustMatchTheFile()
    {
        var e = Assert.Throws<UserInputException>(() => LpipsWeights.Load(LpipsFixtures.AlexWeights, LpipsBackbone.Vgg16));
        Assert.Contains("holds LPIPS AlexNet", e.Message);
        using var network = LpipsWeights.Load(LpipsFixtures.VggWeights, LpipsBackbone.Vgg16);
        Assert.Equal(LpipsBackbone.Vgg16, network.Backbone);
    }

    [Fact]
    public void NotASafetensorsFileOrMissingFileIsAUserError()
    {
        using var dir = new TempDir();
        string text = dir.File("notes.safetensors");
        File.WriteAllText(text, "this is not a safetensors file at all");
        Assert.Contains(text, Assert.Throws<UserInputException>(() => LpipsWeights.Load(text)).Message);
        string absent = dir.File("absent.safetensors");
        Assert.Contains(absent, Assert.Throws<UserInputException>(() => LpipsWeights.Load(absent)).Message);
    }

    // Loads the fixture at `source`, lets `edit` change its tensors, writes it to a temporary file and returns the load error.
    private static UserInputException LoadEdited(string source, Action<Dictionary<string, Tensor>> edit, out string path)
    {
        using var dir = new TempDir();
        path = dir.File("edited.safetensors");
        var tensors = SafetensorsTorch.Load(source);
        edit(tensors);
        SafetensorsTorch.Save(path, tensors);
        string file = path;
        var e = Assert.Throws<UserInputException>(() => LpipsWeights.Load(file));
        foreach (var t in tensors.Values) t.Dispose();
        return e;
    }
}
