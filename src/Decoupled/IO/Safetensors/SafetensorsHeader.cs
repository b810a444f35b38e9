using System.Text.Json;
using System.Text.Unicode;

namespace Decoupled.IO.Safetensors;

/// <summary>
/// The parsed JSON header of a safetensors file: the tensors, ordered by where their bytes lie,
/// and the optional <c>__metadata__</c> map.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The reserved header key of the free-form string map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Headers above this size are refused as corrupt, the same limit the reference implementation uses.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly string[] EntryKeys = ["dtype", "shape", "data_offsets"];

    private readonly Dictionary<string, SafetensorsTensorInfo> byName;

    private SafetensorsHeader(List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Every tensor, in data-buffer order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public SafetensorsTensorInfo? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>
    /// Parses and validates <paramref name="json"/> against a data buffer of <paramref name="dataLength"/>
    /// bytes. Any violation of the format throws a <see cref="UserInputException"/> that names
    /// <paramref name="file"/>, the tensor and the problem.
    /// </summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string file)
    {
        // JsonDocument checks UTF-8 only when a string is decoded; check it all up front instead.
        if (!Utf8.IsValid(json))
            throw Fail(file, "header is not valid JSON (it is not valid UTF-8)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Fail(file, $"header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail(file, $"header is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");

            var tensors = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Dictionary<string, string>? metadata = null;
            foreach (var property in root.EnumerateObject())
            {
                // JsonDocument keeps duplicate keys; the format forbids them (which value would win is undefined).
                if (!seen.Add(property.Name))
                    throw Fail(file, property.Name == MetadataKey ? $"duplicate {MetadataKey}" : $"duplicate tensor name '{property.Name}'");
                if (property.Name == MetadataKey)
                    metadata = ParseMetadata(property.Value, file);
                else
                    tensors.Add(ParseEntry(property.Name, property.Value, file));
            }
            tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            CheckCoverage(tensors, dataLength, file);
            return new SafetensorsHeader(tensors, metadata ?? []);
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string file)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(file, $"{MetadataKey} must map strings to strings, but is a JSON {Kind(value)}");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Fail(file, $"{MetadataKey} must map strings to strings, but '{entry.Name}' holds a JSON {Kind(entry.Value)}");
            if (!map.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Fail(file, $"{MetadataKey} has the key '{entry.Name}' twice");
        }
        return map;
    }

    private static SafetensorsTensorInfo ParseEntry(string name, JsonElement value, string file)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(file, $"{where}: entry is a JSON {Kind(value)}, not an object with dtype, shape and data_offsets");
        foreach (var key in value.EnumerateObject())
        {
            if (!EntryKeys.Contains(key.Name))
                throw Fail(file, $"{where}: unexpected key '{key.Name}' (allowed: dtype, shape, data_offsets)");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Fail(file, $"{where}: missing or non-string dtype");
        var dtypeText = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeText, out var dtype))
            throw Fail(file, $"{where}: unknown dtype '{dtypeText}' (supported: {string.Join(", ", Enum.GetNames<SafetensorsDType>())})");

        var shape = ReadIntegers(value, "shape", where, file);
        foreach (var dimension in shape)
        {
            if (dimension < 0)
                throw Fail(file, $"{where}: negative dimension {dimension} in shape [{string.Join(", ", shape)}]");
        }

        var offsets = ReadIntegers(value, "data_offsets", where, file);
        if (offsets.Length != 2)
            throw Fail(file, $"{where}: data_offsets must be [begin, end], got {offsets.Length} numbers");
        long begin = offsets[0], end = offsets[1];

        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (n, d) => n * d) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Fail(file, $"{where}: shape [{string.Join(", ", shape)}] is too large");
        }
        if (begin < 0 || end < begin)
            throw Fail(file, $"{where}: data_offsets [{begin}, {end}] are out of range");
        if (end - begin != expected)
            throw Fail(file, $"{where}: shape [{string.Join(", ", shape)}] of {dtypeText} needs {expected} bytes but data_offsets [{begin}, {end}] hold {end - begin}");
        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement entry, string key, string where, string file)
    {
        if (!entry.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Fail(file, $"{where}: missing or non-list {key}");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out values[i++]))
                throw Fail(file, $"{where}: {key} must hold integers, found {item.GetRawText()}");
        }
        return values;
    }

    /// <summary>The format requires the tensors to tile the data buffer exactly: no overlap, no hole, nothing past the end.</summary>
    private static void CheckCoverage(List<SafetensorsTensorInfo> sorted, long dataLength, string file)
    {
        long cursor = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in sorted)
        {
            if (tensor.End > dataLength)
                throw Fail(file, $"tensor '{tensor.Name}': data_offsets [{tensor.Begin}, {tensor.End}] are out of range (the data buffer has {dataLength} bytes)");
            if (tensor.Begin < cursor)
                throw Fail(file, $"tensors '{previous!.Name}' and '{tensor.Name}' overlap (bytes {tensor.Begin}..{cursor} of the data buffer)");
            if (tensor.Begin > cursor)
                throw Fail(file, previous is null
                    ? $"tensor '{tensor.Name}': data buffer has a hole before it (bytes 0..{tensor.Begin} belong to no tensor)"
                    : $"tensor '{tensor.Name}': data buffer has a hole between '{previous.Name}' and it (bytes {cursor}..{tensor.Begin} belong to no tensor)");
            cursor = tensor.End;
            previous = tensor;
        }
        if (cursor != dataLength)
            throw Fail(file, $"data buffer has {dataLength - cursor} bytes after the last tensor (bytes {cursor}..{dataLength} belong to no tensor)");
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static UserInputException Fail(string file, string problem) => new($"{file}: not a valid safetensors file: {problem}");
}
