using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Decoupled.Decompositions;

/// <summary>
/// SAD with 512-bit <c>vpsadbw</c> (AVX-512BW) for 16-pixel blocks: one 64-byte load per
/// 48-byte RGB row. vpsadbw sums each 8-byte group into its own 64-bit lane, so the 16 bytes
/// read past the row land in lanes 6 and 7, which are simply left out of the final sum: no
/// masking instruction per row. Narrower blocks use the AVX2 code.
/// </summary>
internal static unsafe class SadAvx512
{
    /// <summary>True where the CPU has AVX-512BW.</summary>
    public static bool IsSupported => Avx512BW.IsSupported;

    /// <summary>Lanes 0..5 of a 512-bit vpsadbw result: the 48 bytes of one 16-pixel RGB row.</summary>
    private static Vector512<ulong> RowLanes => Vector512.Create(~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, 0UL, 0UL);

    /// <summary>SAD of two blocks of <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes (rowBytes in 12, 24, 48).</summary>
    public static int Sad(byte* a, byte* b, int stride, int rowBytes, int rows)
    {
        if (rowBytes != 48) return SadAvx2.Sad(a, b, stride, rowBytes, rows);
        var acc = Vector512<ulong>.Zero;
        for (int r = 0; r < rows; r++, a += stride, b += stride)
            acc += Row(Vector512.Load(a), b);
        return Reduce(acc);
    }

    /// <summary>
    /// Best <see cref="CandidateKey"/> over every candidate (dx, dy) in the inclusive window, for a
    /// 16x16 block at <paramref name="cur"/> whose zero-vector match is at <paramref name="refOrigin"/>.
    /// The block's 16 rows stay in registers for the whole window.
    /// </summary>
    public static long SearchWindow16(byte* cur, byte* refOrigin, int stride, int dxMin, int dxMax, int dyMin, int dyMax)
    {
        var c0 = Vector512.Load(cur); var c1 = Vector512.Load(cur + stride);
        var c2 = Vector512.Load(cur + 2 * stride); var c3 = Vector512.Load(cur + 3 * stride);
        var c4 = Vector512.Load(cur + 4 * stride); var c5 = Vector512.Load(cur + 5 * stride);
        var c6 = Vector512.Load(cur + 6 * stride); var c7 = Vector512.Load(cur + 7 * stride);
        var c8 = Vector512.Load(cur + 8 * stride); var c9 = Vector512.Load(cur + 9 * stride);
        var c10 = Vector512.Load(cur + 10 * stride); var c11 = Vector512.Load(cur + 11 * stride);
        var c12 = Vector512.Load(cur + 12 * stride); var c13 = Vector512.Load(cur + 13 * stride);
        var c14 = Vector512.Load(cur + 14 * stride); var c15 = Vector512.Load(cur + 15 * stride);
        long best = CandidateKey.None;
        for (int dy = dyMin; dy <= dyMax; dy++)
        {
            byte* p = refOrigin + (nint)dy * stride + dxMin * 3;
            for (int dx = dxMin; dx <= dxMax; dx++, p += 3)
            {
                // A balanced add tree keeps the dependency chain short; candidates overlap out of order.
                var s01 = Row(c0, p) + Row(c1, p + stride);
                var s23 = Row(c2, p + 2 * stride) + Row(c3, p + 3 * stride);
                var s45 = Row(c4, p + 4 * stride) + Row(c5, p + 5 * stride);
                var s67 = Row(c6, p + 6 * stride) + Row(c7, p + 7 * stride);
                var s89 = Row(c8, p + 8 * stride) + Row(c9, p + 9 * stride);
                var s1011 = Row(c10, p + 10 * stride) + Row(c11, p + 11 * stride);
                var s1213 = Row(c12, p + 12 * stride) + Row(c13, p + 13 * stride);
                var s1415 = Row(c14, p + 14 * stride) + Row(c15, p + 15 * stride);
                var acc = ((s01 + s23) + (s45 + s67)) + ((s89 + s1011) + (s1213 + s1415));
                long key = CandidateKey.Make(Reduce(acc), dx, dy);
                best = Math.Min(best, key);
            }
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Row(Vector512<byte> cur, byte* reference) =>
        Avx512BW.SumAbsoluteDifferences(cur, Vector512.Load(reference)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Reduce(Vector512<ulong> acc)
    {
        var kept = acc & RowLanes;
        var half = kept.GetLower() + kept.GetUpper();
        var quarter = half.GetLower() + half.GetUpper();
        return (int)(quarter.ToScalar() + quarter.GetElement(1));
    }
}
