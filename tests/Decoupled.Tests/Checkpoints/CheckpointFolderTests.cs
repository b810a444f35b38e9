using System.Text.Json;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Checkpoints;

/// <summary>A model config as pipelines will write them: a plain record with a fixed model type.</summary>
public sealed record TinyConfig(int Width, double Dropout = 0.1, string Note = "") : IModelConfig
{
    /// <inheritdoc/>
    public string ModelType => "tiny";

    public static nn.Module<Tensor, Tensor> Build(int width) =>
        nn.Sequential(nn.Linear(3, width), nn.Tanh(), nn.Linear(width, 1));
}

public class CheckpointFolderTests
{
    [Fact]
    public void SaveThenLoadGivesTheSameConfigAndWeights()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var folder = dir.File("checkpoint");
        var config = new TinyConfig(5, 0.25, "ü");
        var model = TinyConfig.Build(5);
        var ema = TinyConfig.Build(5);
        CheckpointFolder.Save(folder, config, model, ema);

        Assert.Equal(["config.json", "ema.safetensors", "model.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal("tiny", CheckpointFolder.ReadModelType(folder));
        Assert.Equal(config, CheckpointFolder.LoadConfig<TinyConfig>(folder, "tiny"));
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json"))))
        {
            Assert.Equal(["model_type", "format_version", "width", "dropout", "note"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(1, json.RootElement.GetProperty("format_version").GetInt32());
        }

        var fresh = TinyConfig.Build(5);
        CheckpointFolder.LoadWeights(folder, fresh);
        AssertSameState(model, fresh);
        CheckpointFolder.LoadWeights(folder, fresh, useEma: true);
        AssertSameState(ema, fresh);
        Assert.True(CheckpointFolder.HasEma(folder));
        Assert.False(CheckpointFolder.HasTrainingState(folder));
    }

    [Fact]
    public void LoadingNamesTheFileAndTheProblem()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var folder = dir.File("checkpoint");

        Assert.False(CheckpointFolder.Exists(folder));
        Assert.Contains("checkpoint: checkpoint folder not found", Assert.Throws<UserInputException>(() => CheckpointFolder.LoadConfig<TinyConfig>(folder)).Message);
        Directory.CreateDirectory(folder);
        Assert.Contains("config.json: missing (not a checkpoint folder?)", Assert.Throws<UserInputException>(() => CheckpointFolder.ReadModelType(folder)).Message);

        CheckpointFolder.Save(folder, new TinyConfig(4), TinyConfig.Build(4));
        Assert.True(CheckpointFolder.Exists(folder));
        var wrongType = Assert.Throws<UserInputException>(() => CheckpointFolder.LoadConfig<TinyConfig>(folder, "d-vdm"));
        Assert.Contains("config.json: model_type is 'tiny', expected 'd-vdm'", wrongType.Message);

        var wrongShape = Assert.Throws<UserInputException>(() => CheckpointFolder.LoadWeights(folder, TinyConfig.Build(6)));
        Assert.Contains("model.safetensors: weights do not match the model", wrongShape.Message);
        Assert.Contains("0.weight: file [4, 3], model [6, 3]", wrongShape.Message);

        Assert.Contains("ema.safetensors: missing (this checkpoint has no EMA weights)",
            Assert.Throws<UserInputException>(() => CheckpointFolder.LoadWeights(folder, TinyConfig.Build(4), useEma: true)).Message);
        using var optimizer = optim.AdamW(TinyConfig.Build(4).parameters());
        Assert.Contains("trainer_state.json: missing (this checkpoint holds weights only and cannot resume training)",
            Assert.Throws<UserInputException>(() => CheckpointFolder.LoadTraining(folder, TinyConfig.Build(4), optimizer)).Message);

        var configPath = Path.Combine(folder, "config.json");
        File.WriteAllText(configPath, """{"model_type": "tiny", "format_version": 99, "width": 4}""");
        Assert.Contains("config.json: format_version 99 is newer than this build reads (1)",
            Assert.Throws<UserInputException>(() => CheckpointFolder.LoadConfig<TinyConfig>(folder)).Message);
        File.WriteAllText(configPath, """{"model_type": "tiny", "format_version": 1, "width": "wide"}""");
        Assert.Contains("config.json: does not describe a tiny model",
            Assert.Throws<UserInputException>(() => CheckpointFolder.LoadConfig<TinyConfig>(folder)).Message);
        File.WriteAllText(configPath, "{ not json");
        Assert.Contains("config.json: invalid JSON",
            Assert.Throws<UserInputException>(() => CheckpointFolder.ReadModelType(folder)).Message);
    }

    internal static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
            Assert.True(tensor.eq(b[name]).all().item<bool>(), $"{name} differs");
    }
}
