using System.Text.Json;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// The few fields of a Hugging Face CLIP <c>config.json</c> that the weights do not show. Reads
/// the <c>text_config</c> section of a full <c>CLIPConfig</c>, or the top level of a
/// <c>CLIPTextConfig</c> (a text-encoder-only folder).
/// </summary>
/// <param name="Path">The file read (for error messages).</param>
/// <param name="NumAttentionHeads">Heads per layer, when the file gives them.</param>
/// <param name="LayerNormEps">Layer-norm epsilon, when the file gives it.</param>
public sealed record ClipConfigFile(string Path, int? NumAttentionHeads, double? LayerNormEps)
{
    /// <summary>The only activation this implementation has; the openai checkpoints use it.</summary>
    public const string QuickGelu = "quick_gelu";

    /// <summary>
    /// Reads <paramref name="path"/>. A missing or malformed file, or a text tower with another
    /// activation than quick GELU, throws a <see cref="UserInputException"/> naming the file.
    /// </summary>
    public static ClipConfigFile Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserInputException($"{path}: config file not found", e);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not valid JSON ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot read ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new UserInputException($"{path}: not a CLIP config.json: the top level is not an object");
            var text = root.TryGetProperty("text_config", out var section) && section.ValueKind == JsonValueKind.Object ? section : root;
            if (text.TryGetProperty("hidden_act", out var act) && act.ValueKind == JsonValueKind.String && act.GetString() != QuickGelu)
                throw new UserInputException($"{path}: text hidden_act '{act.GetString()}' is not supported (only {QuickGelu}, as in the openai CLIP checkpoints)");
            return new ClipConfigFile(path, Int(text, "num_attention_heads", path), Number(text, "layer_norm_eps", path));
        }
    }

    private static int? Int(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result)
            ? result
            : throw new UserInputException($"{path}: {name} must be an integer");
    }

    private static double? Number(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new UserInputException($"{path}: {name} must be a number");
    }
}
