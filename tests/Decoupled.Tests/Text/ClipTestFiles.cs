using System.Text;
using System.Text.Json;
using Decoupled.IO.Safetensors;
using Decoupled.Nn.Text.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Text;

/// <summary>
/// Small files in the layout of a Hugging Face CLIP download: a byte-level <c>vocab.json</c> +
/// <c>merges.txt</c> (GPT-2's 256 byte symbols, each also with <c>&lt;/w&gt;</c>, then one token
/// per merge, then the two special tokens last, as in the openai vocabulary), and a random tiny
/// CLIP saved as a full <c>model.safetensors</c> with vision-side tensors beside the text ones.
/// </summary>
internal static class ClipTestFiles
{
    /// <summary>A tiny text tower: width 32, 2 layers, 2 heads, vocabulary 300, context 77.</summary>
    public static ClipTextConfig Tiny(int vocab = 300) =>
        new(VocabSize: vocab, HiddenSize: 32, IntermediateSize: 64, NumHiddenLayers: 2, NumAttentionHeads: 2, MaxPositionEmbeddings: 77, ProjectionDim: 24);

    /// <summary>GPT-2's bytes-to-unicode table: printable bytes map to themselves, the rest to 256 and up.</summary>
    public static string[] ByteSymbols()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var symbols = new string[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            symbols[b] = ((char)(printable.Contains(b) ? b : next++)).ToString();
        return symbols;
    }

    /// <summary>The vocabulary that <paramref name="merges"/> ("left right", best first) produce.</summary>
    public static Dictionary<string, int> Vocabulary(IReadOnlyList<string> merges)
    {
        var tokens = new List<string>();
        var bytes = ByteSymbols();
        tokens.AddRange(bytes);
        tokens.AddRange(bytes.Select(s => s + "</w>"));
        tokens.AddRange(merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)));
        tokens.Add(ClipTokenizer.StartToken);
        tokens.Add(ClipTokenizer.EndToken);
        return tokens.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
    }

    /// <summary>Writes vocab.json and merges.txt for <paramref name="merges"/> into <paramref name="folder"/>.</summary>
    public static (string Vocab, string Merges, Dictionary<string, int> Ids) WriteTokenizer(string folder, IReadOnlyList<string> merges)
    {
        var vocab = Vocabulary(merges);
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        File.WriteAllText(vocabPath, JsonSerializer.Serialize(vocab), new UTF8Encoding(false));
        File.WriteAllText(mergesPath, "#version: 0.2\n" + string.Join("\n", merges) + "\n", new UTF8Encoding(false));
        return (vocabPath, mergesPath, vocab);
    }

    /// <summary>
    /// Saves <paramref name="model"/> as a full CLIP checkpoint: its text keys, plus a vision
    /// weight, <c>visual_projection.weight</c>, <c>logit_scale</c> and the old
    /// <c>position_ids</c> buffer, optionally converted to <paramref name="dtype"/>.
    /// </summary>
    public static void SaveFullClip(string path, ClipTextModel model, ScalarType? dtype = null, Action<Dictionary<string, Tensor>>? edit = null)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in model.state_dict())
            tensors[name] = dtype is { } type ? tensor.to(type) : tensor;
        tensors["vision_model.embeddings.patch_embedding.weight"] = torch.randn(8, 3, 4, 4);
        tensors["visual_projection.weight"] = torch.randn(model.Config.ProjectionDim, 8);
        tensors["logit_scale"] = torch.tensor(2.6592f);
        tensors["text_model.embeddings.position_ids"] = torch.arange(model.Config.MaxPositionEmbeddings, dtype: ScalarType.Int64).unsqueeze(0);
        edit?.Invoke(tensors);
        SafetensorsTorch.Save(path, tensors);
    }

    /// <summary>Writes a config.json shaped like the openai ones (text settings under <c>text_config</c>).</summary>
    public static void WriteConfig(string path, ClipTextConfig config, string activation = "quick_gelu") =>
        File.WriteAllText(path, $$"""
            {
              "architectures": ["CLIPModel"],
              "projection_dim": {{config.ProjectionDim}},
              "text_config": {
                "hidden_act": "{{activation}}",
                "hidden_size": {{config.HiddenSize}},
                "num_attention_heads": {{config.NumAttentionHeads}},
                "num_hidden_layers": {{config.NumHiddenLayers}},
                "eos_token_id": 2
              },
              "vision_config": { "hidden_size": 8 }
            }
            """);

    /// <summary>Whether two tensors are equal bit for bit.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
