using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.IO.Safetensors;

/// <summary>
/// Moves raw bytes between TorchSharp tensors and files in bounded chunks. TorchSharp exposes a
/// tensor's memory only as one <see cref="Span{T}"/> (at most 2 GiB), so larger tensors go
/// through 1-D views of at most <see cref="ChunkBytes"/> bytes each.
/// </summary>
internal static class TensorBytes
{
    private const long ChunkBytes = 1L << 26;

    /// <summary>Writes the little-endian bytes of <paramref name="tensor"/> (any device, any layout) to <paramref name="stream"/>.</summary>
    public static void Write(Tensor tensor, Stream stream)
    {
        using var scope = torch.NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        ForEachChunk(flat, (chunk, _) => stream.Write(chunk.bytes));
    }

    /// <summary>A new CPU tensor holding <paramref name="info"/>'s data from <paramref name="file"/>.</summary>
    public static Tensor Read(SafetensorsFile file, SafetensorsTensorInfo info)
    {
        var result = torch.empty(info.ShapeArray(), info.DType.ToScalarType());
        try
        {
            using var scope = torch.NewDisposeScope();
            ForEachChunk(result.view(-1), (chunk, byteOffset) =>
            {
                var span = chunk.bytes;
                file.ReadChunk(info, byteOffset, span);
                // torch assumes bool bytes are 0 or 1; anything else makes comparisons and sums undefined.
                if (info.DType == SafetensorsDType.BOOL && span.IndexOfAnyExcept((byte)0, (byte)1) >= 0)
                    throw new UserInputException($"{file.Path}: tensor '{info.Name}' is BOOL but holds bytes other than 0 and 1");
            });
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static void ForEachChunk(Tensor flat, Action<Tensor, long> body)
    {
        long elementSize = flat.element_size();
        long perChunk = Math.Max(1, ChunkBytes / elementSize);
        long count = flat.shape[0];
        for (long start = 0; start < count; start += perChunk)
        {
            using var chunk = flat.narrow(0, start, Math.Min(perChunk, count - start));
            body(chunk, start * elementSize);
        }
    }
}
