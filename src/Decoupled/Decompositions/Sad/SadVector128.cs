using System.Runtime.Intrinsics;

namespace Decoupled.Decompositions;

/// <summary>
/// Portable SAD on <see cref="Vector128{T}"/> (no x86 instructions named): |a-b| as max-min,
/// widened to 16-bit lanes and summed. Runs wherever .NET has 128-bit SIMD, ARM included.
/// </summary>
internal static unsafe class SadVector128
{
    /// <summary>True where 128-bit SIMD is hardware accelerated.</summary>
    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    /// <summary>SAD of two blocks of <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes (rowBytes in 12, 24, 48).</summary>
    public static int Sad(byte* a, byte* b, int stride, int rowBytes, int rows)
    {
        int full = rowBytes / 16 * 16;
        // The last partial chunk reads a whole vector and keeps only its first rowBytes-full bytes.
        var tailMask = Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)(rowBytes - full)));
        var acc = Vector128<ushort>.Zero;
        for (int r = 0; r < rows; r++, a += stride, b += stride)
        {
            for (int i = 0; i < full; i += 16)
                acc += WidenedAbsDiff(Vector128.Load(a + i), Vector128.Load(b + i));
            if (full < rowBytes)
                acc += WidenedAbsDiff(Vector128.Load(a + full) & tailMask, Vector128.Load(b + full) & tailMask);
        }
        // Each 16-bit lane holds at most 16 rows x 3 chunks x 2 x 255 < 65536.
        var (lo, hi) = Vector128.Widen(acc);
        return (int)Vector128.Sum(lo + hi);
    }

    private static Vector128<ushort> WidenedAbsDiff(Vector128<byte> x, Vector128<byte> y)
    {
        var d = Vector128.Max(x, y) - Vector128.Min(x, y);
        var (lo, hi) = Vector128.Widen(d);
        return lo + hi;
    }
}
