using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Decoupled.IO.Safetensors;

/// <summary>
/// Writes safetensors files deterministically: the same tensors give the same bytes. Tensors are
/// laid out by element size (largest first), then by ordinal name, the order the reference
/// implementation uses, so every tensor starts at a multiple of its element size; the header is
/// padded with spaces to a multiple of 8 bytes so the data buffer starts 8-byte aligned.
/// </summary>
public static class SafetensorsWriter
{
    private static readonly JsonWriterOptions HeaderJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="tensors"/> (and the optional string map <paramref name="metadata"/>)
    /// to <paramref name="path"/> atomically: readers see the old file or the complete new one.
    /// </summary>
    public static void Write(string path, IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = Order(tensors);
        AtomicFile.WriteStream(path, stream => WriteOrdered(stream, ordered, metadata));
    }

    /// <summary>Writes the file's bytes to <paramref name="stream"/> (not atomic; for callers that manage their own temp files).</summary>
    public static void Write(Stream stream, IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        WriteOrdered(stream, Order(tensors), metadata);

    /// <summary>The tensors in the order they are laid out in the data buffer.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public static IReadOnlyList<SafetensorsEntry> Order(IEnumerable<SafetensorsEntry> tensors)
    {
        var list = tensors.OrderByDescending(t => t.DType.ElementSize()).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        for (int i = 1; i < list.Count; i++)
        {
            if (list[i].Name == list[i - 1].Name)
                throw new ArgumentException($"tensor name '{list[i].Name}' given twice", nameof(tensors));
        }
        return list;
    }

    private static void WriteOrdered(Stream stream, IReadOnlyList<SafetensorsEntry> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = HeaderBytes(ordered, metadata);
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var entry in ordered)
        {
            var counter = new CountingStream(stream);
            entry.WriteData(counter);
            if (counter.Count != entry.ByteLength)
                throw new InvalidOperationException($"tensor '{entry.Name}': wrote {counter.Count} bytes, the header promises {entry.ByteLength}");
        }
    }

    /// <summary>The UTF-8 header, space-padded to a multiple of 8 bytes.</summary>
    internal static byte[] HeaderBytes(IReadOnlyList<SafetensorsEntry> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, HeaderJson))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var entry in ordered)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType.HeaderName());
                json.WriteStartArray("shape");
                foreach (var dimension in entry.Shape)
                    json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + entry.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += entry.ByteLength;
            }
            json.WriteEndObject();
        }
        while (buffer.Length % 8 != 0)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
