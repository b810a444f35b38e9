namespace Decoupled.IO.Safetensors;

/// <summary>
/// One tensor to write: its header fields and a callback that streams exactly
/// <see cref="ByteLength"/> little-endian bytes, so large tensors never need a managed copy.
/// </summary>
public sealed class SafetensorsEntry
{
    private readonly Action<Stream> writeData;

    /// <summary>Describes a tensor whose bytes <paramref name="writeData"/> writes when the file is written.</summary>
    /// <exception cref="ArgumentException">A negative dimension or an empty name.</exception>
    public SafetensorsEntry(string name, SafetensorsDType dtype, IReadOnlyList<long> shape, Action<Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == SafetensorsHeader.MetadataKey)
            throw new ArgumentException($"'{name}' is reserved for the metadata map", nameof(name));
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"tensor '{name}': negative dimension in shape [{string.Join(", ", shape)}]", nameof(shape));
        Name = name;
        DType = dtype;
        Shape = [.. shape];
        ByteLength = checked(Shape.Aggregate(1L, (n, d) => n * d) * dtype.ElementSize());
        this.writeData = writeData;
    }

    /// <summary>Tensor name.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>Dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Bytes the data callback must write.</summary>
    public long ByteLength { get; }

    /// <summary>A tensor whose little-endian bytes are already in memory.</summary>
    /// <exception cref="ArgumentException">The byte count does not match dtype and shape.</exception>
    public static SafetensorsEntry FromBytes(string name, SafetensorsDType dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data)
    {
        var entry = new SafetensorsEntry(name, dtype, shape, stream => stream.Write(data.Span));
        if (entry.ByteLength != data.Length)
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {entry.ByteLength} bytes, got {data.Length}", nameof(data));
        return entry;
    }

    internal void WriteData(Stream stream) => writeData(stream);
}
