using Decoupled.IO.Safetensors;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Safetensors;

public class ModuleWeightsTests
{
    private static nn.Module<Tensor, Tensor> Net(int outputs = 2, bool withNorm = true) =>
        withNorm
            ? nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, outputs))
            : nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, outputs));

    [Fact]
    public void StateDictRoundTripsParametersAndBuffers()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var source = Net();
        source.train();
        source.call(torch.randn(8, 3));   // moves the BatchNorm running statistics off their defaults
        var target = Net();
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        ModuleWeights.Save(path, source);

        var report = ModuleWeights.Load(path, target);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        var expected = source.state_dict();
        var actual = target.state_dict();
        Assert.Contains("1.running_mean", expected.Keys);
        Assert.Contains("1.num_batches_tracked", expected.Keys);
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.eq(actual[name]).all().item<bool>(), $"{name} differs");

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(SafetensorsDType.I64, file.Get("1.num_batches_tracked").DType);
    }

    [Fact]
    public void LoadingConvertsElementTypes()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var source = Net(withNorm: false).to(ScalarType.BFloat16);
        var target = Net(withNorm: false);
        using var dir = new TempDir();
        var path = dir.File("bf16.safetensors");
        ModuleWeights.Save(path, source);
        ModuleWeights.Load(path, target);
        Assert.Equal(ScalarType.Float32, target.parameters().First().dtype);
        Assert.True(source.parameters().First().to(ScalarType.Float32).eq(target.parameters().First()).all().item<bool>());
    }

    [Fact]
    public void StrictLoadListsEveryMismatch()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        ModuleWeights.Save(path, Net());

        // Other output width: the last layer's tensors have other shapes.
        var wider = Assert.Throws<UserInputException>(() => ModuleWeights.Load(path, Net(outputs: 5)));
        Assert.StartsWith($"{path}: weights do not match the model: ", wider.Message);
        Assert.Contains("2 with another shape (3.bias: file [2], model [5], 3.weight: file [2, 4], model [5, 4])", wider.Message);

        // No BatchNorm: its five tensors are unexpected, and the last Linear sits at index 2, not 3.
        var plain = Assert.Throws<UserInputException>(() => ModuleWeights.Load(path, Net(withNorm: false)));
        Assert.Contains("2 missing (2.bias, 2.weight)", plain.Message);
        Assert.Contains("7 unexpected (1.bias, 1.num_batches_tracked, 1.running_mean, 1.running_var, 1.weight, 3.bias, 3.weight)", plain.Message);
        Assert.DoesNotContain('\n', plain.Message);
    }

    [Fact]
    public void NonStrictLoadReportsWhatItSkippedButStillRefusesOtherShapes()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        var source = Net(withNorm: false);
        ModuleWeights.Save(path, source);

        var bigger = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Linear(2, 2));
        var report = ModuleWeights.Load(path, bigger, strict: false);
        Assert.Equal(["3.bias", "3.weight"], report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.True(source.state_dict()["2.weight"].eq(bigger.state_dict()["2.weight"]).all().item<bool>());

        var error = Assert.Throws<UserInputException>(() => ModuleWeights.Load(path, Net(outputs: 3, withNorm: false), strict: false));
        Assert.Contains("with another shape", error.Message);
    }
}
