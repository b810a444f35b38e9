using System.Globalization;
using System.Text.RegularExpressions;
using Decoupled.IO.Safetensors;
using TorchSharp;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// Loads the text tower of a Hugging Face CLIP checkpoint (<c>openai/clip-vit-base-patch32</c>,
/// <c>openai/clip-vit-large-patch14</c>, or any checkpoint in their layout) into a
/// <see cref="ClipTextModel"/>. Only the text keys are read: the vision tower
/// (<c>vision_model.*</c>, <c>visual_projection.weight</c>, <c>logit_scale</c>) is ignored, while
/// every text key must be present with the right shape and no unknown text key may be left over.
/// The shape is read from the tensors; only the head count, which no tensor shows, comes from
/// <c>config.json</c> when present, else from width / 64 (true for both openai models).
/// f16 and bf16 tensors load into the float32 model.
/// </summary>
public static partial class ClipWeights
{
    /// <summary>Name of the weights file in a Hugging Face model folder.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Name of the configuration file in a Hugging Face model folder.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Head width of the openai text towers, used when no config.json gives the head count.</summary>
    public const int DefaultHeadDim = 64;

    private const string TokenEmbedding = "text_model.embeddings.token_embedding.weight";
    private const string PositionEmbedding = "text_model.embeddings.position_embedding.weight";
    private const string Projection = "text_projection.weight";

    /// <summary>Older transformers versions saved this constant buffer; it carries no weights.</summary>
    private const string PositionIds = "text_model.embeddings.position_ids";

    /// <summary>
    /// Loads the text model from <paramref name="path"/>: a <c>model.safetensors</c> file, or a
    /// folder holding one. <paramref name="configPath"/> defaults to the <c>config.json</c> beside
    /// the weights, when there is one. The model comes back frozen (no gradients) in eval mode.
    /// </summary>
    public static ClipTextModel Load(string path, string? configPath = null)
    {
        var weightsPath = Directory.Exists(path) ? Path.Combine(path, WeightsFileName) : path;
        configPath ??= BesideConfig(weightsPath);
        using var file = SafetensorsFile.Open(weightsPath);
        var config = InferConfig(file, configPath is null ? null : ClipConfigFile.Read(configPath));
        var model = new ClipTextModel(config);
        try
        {
            CheckTextKeys(file, model);
            ModuleWeights.Load(file, model, strict: false);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        foreach (var parameter in model.parameters())
            parameter.requires_grad = false;
        model.eval();
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s weights to <paramref name="path"/> under the Hugging Face
    /// names (the text keys of a full CLIP checkpoint), atomically.
    /// </summary>
    public static void Save(string path, ClipTextModel model) => ModuleWeights.Save(path, model);

    /// <summary>
    /// The shape of the text tower stored in <paramref name="file"/>: vocabulary and width from the
    /// token embedding, context from the position embedding, layers from the highest layer index,
    /// MLP width from the first layer's <c>fc1</c>, projection width from <c>text_projection</c>;
    /// heads and layer-norm epsilon from <paramref name="config"/> when given.
    /// </summary>
    public static ClipTextConfig InferConfig(SafetensorsFile file, ClipConfigFile? config = null)
    {
        var tokens = Shape(file, TokenEmbedding, 2);
        int vocab = checked((int)tokens[0]), width = checked((int)tokens[1]);
        int context = checked((int)Shape(file, PositionEmbedding, 2)[0]);
        int projection = checked((int)Shape(file, Projection, 2)[0]);
        int layers = file.Tensors
            .Select(t => LayerKey().Match(t.Name))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0)
            .Max();
        int intermediate = layers > 0
            ? checked((int)Shape(file, "text_model.encoder.layers.0.mlp.fc1.weight", 2)[0])
            : 4 * width;
        int heads = config?.NumAttentionHeads ?? Math.Max(1, width / DefaultHeadDim);
        if (heads < 1 || width % heads != 0)
            throw new UserInputException($"{config?.Path ?? file.Path}: {heads} attention heads do not divide the text width {width}");
        return new ClipTextConfig(vocab, width, intermediate, layers, heads, context, projection, config?.LayerNormEps ?? 1e-5);
    }

    private static void CheckTextKeys(SafetensorsFile file, ClipTextModel model)
    {
        var expected = model.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(k => !file.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unknown = file.Tensors.Select(t => t.Name)
            .Where(n => IsTextKey(n) && n != PositionIds && !expected.Contains(n))
            .Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new UserInputException($"{file.Path}: not a complete CLIP text checkpoint: {missing.Count} text tensors missing ({string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")})");
        if (unknown.Count > 0)
            throw new UserInputException($"{file.Path}: unknown CLIP text tensors ({string.Join(", ", unknown.Take(8))}{(unknown.Count > 8 ? ", ..." : "")})");
    }

    private static bool IsTextKey(string name) => name.StartsWith("text_model.", StringComparison.Ordinal) || name == Projection;

    private static long[] Shape(SafetensorsFile file, string name, int rank)
    {
        if (!file.Contains(name))
            throw new UserInputException($"{file.Path}: not a CLIP text checkpoint: it has no tensor '{name}'");
        var shape = file.Get(name).Shape;
        if (shape.Count != rank || shape.Any(d => d < 1))
            throw new UserInputException($"{file.Path}: tensor '{name}' has shape [{string.Join(", ", shape)}], expected {rank} positive dimensions");
        return shape.ToArray();
    }

    private static string? BesideConfig(string weightsPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(weightsPath));
        var candidate = folder is null ? null : Path.Combine(folder, ConfigFileName);
        return candidate is not null && File.Exists(candidate) ? candidate : null;
    }

    [GeneratedRegex(@"^text_model\.encoder\.layers\.(\d+)\.")]
    private static partial Regex LayerKey();
}
