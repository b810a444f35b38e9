namespace Decoupled.IO.Safetensors;

/// <summary>One tensor's header entry: where its bytes lie in the data buffer and how to read them.</summary>
/// <param name="Name">Tensor name (a state-dict key such as <c>down.0.conv.weight</c>).</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions; empty for a scalar.</param>
/// <param name="Begin">First byte, relative to the start of the data buffer.</param>
/// <param name="End">One past the last byte, relative to the start of the data buffer.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements (1 for a scalar, 0 when a dimension is 0).</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Bytes the tensor occupies: <c>End - Begin</c>.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as an array, as TorchSharp takes it.</summary>
    public long[] ShapeArray() => [.. Shape];
}
