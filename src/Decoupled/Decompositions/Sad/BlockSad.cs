namespace Decoupled.Decompositions;

/// <summary>
/// Sum of absolute differences between two RGB blocks, on any of the <see cref="SadKernel"/>
/// paths, and the exhaustive window search built on it. Blocks are interleaved RGB rows
/// (3 bytes per pixel) at a common stride.
/// </summary>
public static unsafe class BlockSad
{
    /// <summary>
    /// Bytes the SIMD kernels may read past the last byte of a block's last row (whole-vector
    /// loads). Buffers handed to <see cref="Compute"/> must extend this far.
    /// </summary>
    public const int ReadSlack = 64;

    /// <summary>True when this CPU can run <paramref name="kernel"/>.</summary>
    public static bool IsSupported(SadKernel kernel) => kernel switch
    {
        SadKernel.Auto or SadKernel.Scalar => true,
        SadKernel.Avx512 => SadAvx512.IsSupported,
        SadKernel.Avx2 => SadAvx2.IsSupported,
        SadKernel.Vector128 => SadVector128.IsSupported,
        _ => false,
    };

    /// <summary>The concrete kernel <paramref name="kernel"/> runs as: Auto becomes the widest supported one.</summary>
    /// <exception cref="PlatformNotSupportedException">A forced kernel this CPU lacks.</exception>
    public static SadKernel Resolve(SadKernel kernel)
    {
        if (kernel == SadKernel.Auto)
            return SadAvx512.IsSupported ? SadKernel.Avx512
                : SadAvx2.IsSupported ? SadKernel.Avx2
                : SadVector128.IsSupported ? SadKernel.Vector128
                : SadKernel.Scalar;
        if (!IsSupported(kernel)) throw new PlatformNotSupportedException($"SAD kernel {kernel} is not supported on this CPU");
        return kernel;
    }

    /// <summary>
    /// SAD between the <paramref name="blockSize"/> x <paramref name="blockSize"/> RGB blocks that
    /// start at offset 0 of <paramref name="a"/> and <paramref name="b"/>, rows <paramref name="stride"/> bytes apart.
    /// </summary>
    /// <exception cref="ArgumentException">A block size other than 4, 8, 16, or a span shorter than the block plus <see cref="ReadSlack"/>.</exception>
    public static int Compute(SadKernel kernel, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int stride, int blockSize)
    {
        if (blockSize is not (4 or 8 or 16)) throw new ArgumentException($"block size must be 4, 8 or 16, got {blockSize}", nameof(blockSize));
        if (stride < blockSize * 3) throw new ArgumentException($"stride {stride} is shorter than a {blockSize}-pixel row", nameof(stride));
        long needed = (long)(blockSize - 1) * stride + blockSize * 3 + ReadSlack;
        if (a.Length < needed || b.Length < needed)
            throw new ArgumentException($"blocks need {needed} readable bytes (including {ReadSlack} slack), got {a.Length} and {b.Length}");
        var resolved = Resolve(kernel);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
            return Sad(resolved, pa, pb, stride, blockSize);
    }

    /// <summary>SAD of two square blocks with an already resolved kernel; no checks.</summary>
    internal static int Sad(SadKernel resolved, byte* a, byte* b, int stride, int blockSize)
    {
        int rowBytes = blockSize * 3;
        return resolved switch
        {
            SadKernel.Avx512 => SadAvx512.Sad(a, b, stride, rowBytes, blockSize),
            SadKernel.Avx2 => SadAvx2.Sad(a, b, stride, rowBytes, blockSize),
            SadKernel.Vector128 => SadVector128.Sad(a, b, stride, rowBytes, blockSize),
            _ => SadScalar.Sad(a, b, stride, rowBytes, blockSize),
        };
    }

    /// <summary>
    /// Best <see cref="CandidateKey"/> over every vector in the inclusive window, for the block at
    /// <paramref name="cur"/> whose zero-vector match starts at <paramref name="refOrigin"/>.
    /// </summary>
    internal static long SearchWindow(SadKernel resolved, byte* cur, byte* refOrigin, int stride, int blockSize,
        int dxMin, int dxMax, int dyMin, int dyMax)
    {
        if (resolved == SadKernel.Avx512 && blockSize == 16 && SadAvx512Window.IsSupported && stride % 64 == 0)
            return SadAvx512Window.Search16(cur, refOrigin, stride, dxMin, dxMax, dyMin, dyMax);
        long best = CandidateKey.None;
        for (int dy = dyMin; dy <= dyMax; dy++)
            for (int dx = dxMin; dx <= dxMax; dx++)
            {
                int sad = Sad(resolved, cur, refOrigin + (nint)dy * stride + dx * 3, stride, blockSize);
                best = Math.Min(best, CandidateKey.Make(sad, dx, dy));
            }
        return best;
    }
}
