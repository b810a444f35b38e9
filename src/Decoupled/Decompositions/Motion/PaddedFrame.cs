using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Decoupled.Decompositions;

/// <summary>
/// One RGB frame grown to a whole number of blocks by edge replication, in pinned memory with
/// <see cref="BlockSad.ReadSlack"/> spare bytes at the end, so SIMD kernels may read whole
/// vectors past a block's last row and raw pointers stay valid across threads. Rows start on
/// 64-byte boundaries (the stride is a multiple of 64), so a search can load any row's cache
/// lines with aligned loads.
/// </summary>
internal sealed unsafe class PaddedFrame
{
    private const int Alignment = 64;
    private readonly byte[] _buffer;
    private readonly int _offset;

    /// <summary>Allocates a padded frame for an image of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public PaddedFrame(int height, int width, int blockSize)
    {
        Height = height;
        Width = width;
        PaddedHeight = (height + blockSize - 1) / blockSize * blockSize;
        PaddedWidth = (width + blockSize - 1) / blockSize * blockSize;
        Stride = (PaddedWidth * 3 + Alignment - 1) / Alignment * Alignment;
        _buffer = GC.AllocateArray<byte>(PaddedHeight * Stride + BlockSad.ReadSlack + Alignment, pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
        _offset = (int)((Alignment - start % Alignment) % Alignment);
    }

    /// <summary>Height of the source image.</summary>
    public int Height { get; }

    /// <summary>Width of the source image.</summary>
    public int Width { get; }

    /// <summary>Height rounded up to a whole number of blocks.</summary>
    public int PaddedHeight { get; }

    /// <summary>Width rounded up to a whole number of blocks.</summary>
    public int PaddedWidth { get; }

    /// <summary>Bytes from one row to the next: the padded row rounded up to a multiple of 64.</summary>
    public int Stride { get; }

    /// <summary>The padded pixels, rows <see cref="Stride"/> bytes apart, followed by the slack.</summary>
    public ReadOnlySpan<byte> Pixels => _buffer.AsSpan(_offset);

    /// <summary>Address of pixel (0, 0); valid for the object's lifetime (the buffer is pinned).</summary>
    public byte* Origin => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer)) + _offset;

    /// <summary>Copies an <c>[H, W, 3]</c> frame in, replicating the last column and row into the padding.</summary>
    public void Fill(ReadOnlySpan<byte> frame)
    {
        int rowBytes = Width * 3, paddedRowBytes = PaddedWidth * 3;
        var pixels = _buffer.AsSpan(_offset);
        for (int y = 0; y < Height; y++)
        {
            var dst = pixels.Slice(y * Stride, paddedRowBytes);
            frame.Slice(y * rowBytes, rowBytes).CopyTo(dst);
            var last = dst.Slice(rowBytes - 3, 3);
            for (int x = rowBytes; x < paddedRowBytes; x += 3) last.CopyTo(dst.Slice(x, 3));
        }
        var lastRow = pixels.Slice((Height - 1) * Stride, Stride);
        for (int y = Height; y < PaddedHeight; y++) lastRow.CopyTo(pixels.Slice(y * Stride, Stride));
    }

    /// <summary>A padded copy of <paramref name="frame"/>.</summary>
    public static PaddedFrame From(ReadOnlySpan<byte> frame, int height, int width, int blockSize)
    {
        var padded = new PaddedFrame(height, width, blockSize);
        padded.Fill(frame);
        return padded;
    }
}
