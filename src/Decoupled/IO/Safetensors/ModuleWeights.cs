using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.IO.Safetensors;

/// <summary>
/// A module's <c>state_dict()</c> (parameters and persistent buffers) to and from a safetensors
/// file, under the same names PyTorch uses, so PyTorch and diffusers can read the weights.
/// </summary>
public static class ModuleWeights
{
    /// <summary>How many names each list of a mismatch message shows before "and N more".</summary>
    private const int NamesShown = 8;

    /// <summary>
    /// Writes <paramref name="module"/>'s state dict to <paramref name="path"/> atomically, with
    /// <c>format: pt</c> in the metadata (what transformers and diffusers look for) plus <paramref name="metadata"/>.
    /// </summary>
    public static void Save(string path, nn.Module module, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsWriter.Write(path, Entries(module), WithFormat(metadata));

    /// <summary>Writes <paramref name="module"/>'s state dict to <paramref name="stream"/> (not atomic).</summary>
    public static void Save(Stream stream, nn.Module module, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsWriter.Write(stream, Entries(module), WithFormat(metadata));

    /// <summary>
    /// Copies the tensors of <paramref name="path"/> into <paramref name="module"/>'s state dict.
    /// A tensor whose shape differs from the module's is always an error; with
    /// <paramref name="strict"/>, so is any missing or unexpected name. All problems are listed in
    /// one <see cref="UserInputException"/> naming the file. Element types convert as
    /// <c>copy_</c> does (a bf16 file loads into an f32 model).
    /// </summary>
    public static WeightLoadReport Load(string path, nn.Module module, bool strict = true)
    {
        using var file = SafetensorsFile.Open(path);
        return Load(file, module, strict);
    }

    /// <summary>As <see cref="Load(string, nn.Module, bool)"/>, from a file already open.</summary>
    public static WeightLoadReport Load(SafetensorsFile file, nn.Module module, bool strict = true)
    {
        var targets = module.state_dict();
        var missing = targets.Keys.Where(k => !file.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = file.Tensors.Select(t => t.Name).Where(n => !targets.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var reshaped = targets
            .Where(p => file.Contains(p.Key) && !file.Get(p.Key).Shape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key}: file [{string.Join(", ", file.Get(p.Key).Shape)}], model [{string.Join(", ", p.Value.shape)}]")
            .Order(StringComparer.Ordinal)
            .ToList();

        var problems = new List<string>();
        if (strict && missing.Count > 0) problems.Add($"{missing.Count} missing ({Names(missing)})");
        if (strict && unexpected.Count > 0) problems.Add($"{unexpected.Count} unexpected ({Names(unexpected)})");
        if (reshaped.Count > 0) problems.Add($"{reshaped.Count} with another shape ({Names(reshaped)})");
        if (problems.Count > 0)
            throw new UserInputException($"{file.Path}: weights do not match the model: {string.Join("; ", problems)}");

        using (torch.no_grad())
        {
            foreach (var (name, target) in targets)
            {
                if (!file.Contains(name)) continue;
                using var scope = torch.NewDisposeScope();
                target.copy_(file.ReadTensor(name));
            }
        }
        return new WeightLoadReport(missing, unexpected);
    }

    private static IEnumerable<SafetensorsEntry> Entries(nn.Module module) =>
        module.state_dict().Select(p => SafetensorsTorch.ToEntry(p.Key, p.Value));

    private static Dictionary<string, string> WithFormat(IReadOnlyDictionary<string, string>? metadata)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            merged[key] = value;
        return merged;
    }

    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= NamesShown
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(NamesShown))} and {names.Count - NamesShown} more";
}

/// <summary>What a non-strict <see cref="ModuleWeights.Load(string, nn.Module, bool)"/> left out.</summary>
/// <param name="Missing">State-dict names the file lacks (left at their current values).</param>
/// <param name="Unexpected">File tensors the module has no place for (ignored).</param>
public sealed record WeightLoadReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected);
