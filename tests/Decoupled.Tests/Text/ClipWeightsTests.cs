using Decoupled.IO.Safetensors;
using Decoupled.Nn.Text.Clip;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Text;

public class ClipWeightsTests
{
    private static Tensor SomeIds(ClipTextConfig config) =>
        torch.tensor(new long[] { config.VocabSize - 2, 5, 17, 42, config.VocabSize - 1, 3, 9, 12 }, [2, 4], ScalarType.Int64);

    [Fact]
    public void AFullClipCheckpointLoadsBackToIdenticalOutputs()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var config = ClipTestFiles.Tiny();
        var source = new ClipTextModel(config);
        ClipTestFiles.SaveFullClip(dir.File("model.safetensors"), source);
        ClipTestFiles.WriteConfig(dir.File("config.json"), config);

        using var loaded = ClipWeights.Load(dir.Path);
        Assert.Equal(config, loaded.Config);
        Assert.All(loaded.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(loaded.training);
        using var noGrad = torch.no_grad();
        var ids = SomeIds(config);
        var expected = source.forward(ids);
        var actual = loaded.forward(ids);
        Assert.True(ClipTestFiles.Same(expected.TextEmbeds, actual.TextEmbeds));
        Assert.True(ClipTestFiles.Same(expected.LastHiddenState, actual.LastHiddenState));
    }

    [Fact]
    public void HalfPrecisionWeightsLoadIntoFloat32()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var config = ClipTestFiles.Tiny();
        var source = new ClipTextModel(config);
        var path = dir.File("model.safetensors");
        ClipTestFiles.SaveFullClip(path, source, ScalarType.Float16);
        using (var file = SafetensorsFile.Open(path))
            Assert.Equal(SafetensorsDType.F16, file.Get("text_projection.weight").DType);

        using var loaded = ClipWeights.Load(path);
        foreach (var (name, tensor) in loaded.state_dict())
        {
            Assert.Equal(ScalarType.Float32, tensor.dtype);
            Assert.True(ClipTestFiles.Same(source.state_dict()[name].to(ScalarType.Float16).to(ScalarType.Float32), tensor), name);
        }
    }

    [Fact]
    public void TheHeadCountComesFromConfigJsonElseFromTheWidth()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var config = ClipTestFiles.Tiny() with { HiddenSize = 128, NumAttentionHeads = 4 };
        var path = dir.File("model.safetensors");
        ClipTestFiles.SaveFullClip(path, new ClipTextModel(config));

        using (var guessed = ClipWeights.Load(path))
            Assert.Equal(config with { NumAttentionHeads = 2 }, guessed.Config);
        ClipTestFiles.WriteConfig(dir.File("config.json"), config);
        using (var told = ClipWeights.Load(path))
            Assert.Equal(config, told.Config);

        ClipTestFiles.WriteConfig(dir.File("gelu.json"), config, activation: "gelu");
        var gelu = Assert.Throws<UserInputException>(() => ClipWeights.Load(path, dir.File("gelu.json")));
        Assert.StartsWith(dir.File("gelu.json") + ": ", gelu.Message);
        Assert.Contains("quick_gelu", gelu.Message);
    }

    [Fact]
    public void AMissingTextTensorIsAClearError()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        var model = new ClipTextModel(ClipTestFiles.Tiny());

        ClipTestFiles.SaveFullClip(path, model, edit: t => t.Remove("text_model.encoder.layers.1.self_attn.v_proj.bias"));
        var e = Assert.Throws<UserInputException>(() => ClipWeights.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("1 text tensors missing (text_model.encoder.layers.1.self_attn.v_proj.bias)", e.Message);

        ClipTestFiles.SaveFullClip(path, model, edit: t => t.Remove("text_projection.weight"));
        e = Assert.Throws<UserInputException>(() => ClipWeights.Load(path));
        Assert.Contains("no tensor 'text_projection.weight'", e.Message);
    }

    [Fact]
    public void AWrongShapeOrAnUnknownTextTensorIsAClearError()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        var model = new ClipTextModel(ClipTestFiles.Tiny());

        ClipTestFiles.SaveFullClip(path, model, edit: t => t["text_model.encoder.layers.1.mlp.fc2.weight"] = torch.zeros(32, 60));
        var e = Assert.Throws<UserInputException>(() => ClipWeights.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("text_model.encoder.layers.1.mlp.fc2.weight: file [32, 60], model [32, 64]", e.Message);

        ClipTestFiles.SaveFullClip(path, model, edit: t => t["text_model.encoder.layers.0.self_attn.rotary.weight"] = torch.zeros(3));
        e = Assert.Throws<UserInputException>(() => ClipWeights.Load(path));
        Assert.Contains("unknown CLIP text tensors (text_model.encoder.layers.0.self_attn.rotary.weight)", e.Message);

        ClipTestFiles.SaveFullClip(path, model, edit: t => t["text_model.embeddings.token_embedding.weight"] = torch.zeros(300));
        e = Assert.Throws<UserInputException>(() => ClipWeights.Load(path));
        Assert.Contains("tensor 'text_model.embeddings.token_embedding.weight' has shape [300]", e.Message);

        var missing = dir.File("nothing.safetensors");
        e = Assert.Throws<UserInputException>(() => ClipWeights.Load(missing));
        Assert.StartsWith(missing + ": ", e.Message);
    }
}
