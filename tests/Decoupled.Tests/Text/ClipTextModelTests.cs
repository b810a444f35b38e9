using Decoupled.Nn.Text.Clip;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Text;

public class ClipTextModelTests
{
    /// <summary>Token ids of a short caption: start, three words, end (the highest id), end padding.</summary>
    private static Tensor Ids(ClipTextConfig config, int length = 77, int endAt = 4, long[]? words = null, long? pad = null)
    {
        long end = config.VocabSize - 1, start = config.VocabSize - 2;
        var ids = new long[length];
        ids[0] = start;
        words ??= [10, 20, 30];
        for (int i = 1; i < endAt; i++)
            ids[i] = words[(i - 1) % words.Length];
        ids[endAt] = end;
        for (int i = endAt + 1; i < length; i++)
            ids[i] = pad ?? end;
        return torch.tensor(ids, [1, length], ScalarType.Int64);
    }

    [Fact]
    public void StateDictNamesAreThoseOfTheHuggingFaceCheckpoints()
    {
        TorchRuntime.Initialize();
        using var model = new ClipTextModel(ClipTestFiles.Tiny());
        var expected = new List<string>
        {
            "text_model.embeddings.token_embedding.weight",
            "text_model.embeddings.position_embedding.weight",
            "text_model.final_layer_norm.weight",
            "text_model.final_layer_norm.bias",
            "text_projection.weight",
        };
        for (int i = 0; i < 2; i++)
        {
            foreach (var proj in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
                expected.AddRange([$"text_model.encoder.layers.{i}.self_attn.{proj}.weight", $"text_model.encoder.layers.{i}.self_attn.{proj}.bias"]);
            foreach (var part in new[] { "layer_norm1", "layer_norm2", "mlp.fc1", "mlp.fc2" })
                expected.AddRange([$"text_model.encoder.layers.{i}.{part}.weight", $"text_model.encoder.layers.{i}.{part}.bias"]);
        }
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal([300L, 32], shapes["text_model.embeddings.token_embedding.weight"]);
        Assert.Equal([77L, 32], shapes["text_model.embeddings.position_embedding.weight"]);
        Assert.Equal([64L, 32], shapes["text_model.encoder.layers.1.mlp.fc1.weight"]);
        Assert.Equal([24L, 32], shapes["text_projection.weight"]);
    }

    [Fact]
    public void PresetsHaveTheParameterCountsOfTheOpenAiTextTowers()
    {
        TorchRuntime.Initialize();
        // CLIPTextModel has 63,165,952 (ViT-B/32) and 123,060,480 (ViT-L/14) parameters; the projection adds width x projection.
        foreach (var (config, count) in new[] { (ClipTextConfig.VitB32, 63_165_952L + 512 * 512), (ClipTextConfig.VitL14, 123_060_480L + 768 * 768) })
        {
            using var model = new ClipTextModel(config);
            Assert.Equal(count, model.parameters().Sum(p => p.numel()));
        }
        Assert.Equal(64, ClipTextConfig.VitB32.HeadDim);
        Assert.Equal(64, ClipTextConfig.VitL14.HeadDim);
    }

    [Fact]
    public void AttentionIsCausal()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = ClipTestFiles.Tiny();
        var model = new ClipTextModel(config);
        using var noGrad = torch.no_grad();
        var a = model.forward(Ids(config, endAt: 6, words: [10, 20, 30, 40, 50]));
        var b = model.forward(Ids(config, endAt: 6, words: [10, 20, 30, 41, 50]));
        // Token 4 differs: positions 0..3 see only what came before them.
        var before = a.LastHiddenState[.., ..4];
        Assert.True(before.allclose(b.LastHiddenState[.., ..4], rtol: 0, atol: 1e-6));
        Assert.False(a.LastHiddenState[.., 4..].allclose(b.LastHiddenState[.., 4..], rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void ThePooledOutputIsTheProjectedStateAtTheEndToken()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = ClipTestFiles.Tiny();
        var model = new ClipTextModel(config);
        using var noGrad = torch.no_grad();
        foreach (long? pad in new long?[] { null, 0 })
        {
            var ids = Ids(config, endAt: 5, pad: pad);
            var output = model.forward(ids);
            Assert.Equal(5, output.EndPositions.item<long>());
            Assert.True(ClipTestFiles.Same(output.LastHiddenState[0, 5], output.PooledOutput[0]));
            var projection = model.state_dict()["text_projection.weight"];
            Assert.True(output.TextEmbeds.allclose(output.PooledOutput.matmul(projection.t()), rtol: 0, atol: 1e-6));
            Assert.Equal([1L, 24], output.TextEmbeds.shape);
        }
        // Whatever follows the end token is invisible to it.
        var plain = model.forward(Ids(config, endAt: 5));
        var otherTail = Ids(config, endAt: 5);
        otherTail[0, 9] = torch.tensor(7L);
        Assert.True(plain.TextEmbeds.allclose(model.forward(otherTail).TextEmbeds, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void RejectsIdsLongerThanTheContext()
    {
        TorchRuntime.Initialize();
        using var model = new ClipTextModel(ClipTestFiles.Tiny());
        using var ids = torch.zeros(1, 78, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => model.forward(ids));
    }
}
