using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Decoupled.Decompositions;

/// <summary>
/// Exhaustive 16x16 search with 512-bit <c>vpsadbw</c>, fed by byte permutes instead of
/// unaligned loads. A candidate's 48-byte row starts at an arbitrary byte, so a direct 64-byte
/// load almost always straddles two cache lines, which this CPU serves at half rate. Instead
/// each reference row is read as two aligned cache lines and <c>vpermt2b</c> (AVX-512 VBMI)
/// cuts out the candidates' windows. The windows of four candidates (4 x 48 bytes) are packed
/// into three full 64-byte vectors, so no SAD lane is wasted; the block's row is packed the same
/// way once. vpsadbw keeps every 8-byte group in its own 64-bit lane, so the lanes are sorted
/// back to candidates after the 16 rows. Eight horizontally adjacent candidates (two sets of
/// four, each with its own pair of cache lines) are searched together; their keys are compared
/// in one vector.
/// </summary>
internal static unsafe class SadAvx512Window
{
    private const int Group = 8;

    /// <summary>True where the CPU has AVX-512BW and VBMI.</summary>
    public static bool IsSupported => Avx512BW.IsSupported && Avx512Vbmi.IsSupported;

    /// <summary>
    /// Best <see cref="CandidateKey"/> over every (dx, dy) in the inclusive window for the 16x16
    /// block at <paramref name="cur"/>, whose zero-vector match is <paramref name="refOrigin"/>.
    /// The stride must be a multiple of 64 (rows then share one alignment).
    /// </summary>
    public static long Search16(byte* cur, byte* refOrigin, int stride, int dxMin, int dxMax, int dyMin, int dyMax)
    {
        // Per row, the block packed as the reference will be: [0..48 | 0..16], [16..48 | 0..32], [32..48 | 0..48].
        byte* scratch = stackalloc byte[16 * 192 + 64];
        byte* block = (byte*)(((nint)scratch + 63) & ~(nint)63);
        for (int r = 0; r < 16; r++)
        {
            byte* src = cur + (nint)r * stride;
            byte* dst = block + r * 192;
            Buffer.MemoryCopy(src, dst, 48, 48);
            Buffer.MemoryCopy(src, dst + 48, 16, 16);
            Buffer.MemoryCopy(src + 16, dst + 64, 32, 32);
            Buffer.MemoryCopy(src, dst + 96, 32, 32);
            Buffer.MemoryCopy(src + 32, dst + 128, 16, 16);
            Buffer.MemoryCopy(src, dst + 144, 48, 48);
        }
        int misalign = (int)((nint)refOrigin & 63);
        byte* alignedOrigin = refOrigin - misalign;
        var best = Vector512.Create(ulong.MaxValue);
        Span<ulong> tie = stackalloc ulong[Group];
        Span<int> shift = stackalloc int[Group];
        for (int dxStart = dxMin; dxStart <= dxMax; dxStart += Group)
        {
            // Up to eight consecutive dx in two sets of four; each set reads the two cache lines
            // that hold its four windows (a 57-byte span always fits in two lines).
            int count = Math.Min(Group, dxMax - dxStart + 1);
            int lineA = (misalign + 3 * dxStart) >> 6; // may be negative: lines to the left of the block
            int lineB = (misalign + 3 * (dxStart + 4)) >> 6;
            for (int k = 0; k < Group; k++)
            {
                int dx = dxStart + k;
                shift[k] = k < count ? misalign + 3 * dx - 64 * (k < 4 ? lineA : lineB) : 0;
                tie[k] = k < count
                    ? ((ulong)Math.Abs(dx) << CandidateKey.L1Shift) + (ulong)(dx + CandidateKey.Offset)
                    : 1UL << 62; // unused slot: never the minimum
            }
            var (pa0, pb0, pc0) = PackIndices(shift[..4]);
            var (pa1, pb1, pc1) = PackIndices(shift[4..]);
            bool secondSet = count > 4; // a short group skips the work of its empty second half
            var tieDx = Vector512.Create(tie);
            byte* linesA = alignedOrigin + 64 * (nint)lineA;
            byte* linesB = alignedOrigin + 64 * (nint)lineB;
            for (int dy = dyMin; dy <= dyMax; dy++)
            {
                Vector512<ulong> a0 = default, b0 = default, c0 = default, a1 = default, b1 = default, c1 = default;
                nint rowOffset = (nint)dy * stride;
                byte* packed = block;
                for (int r = 0; r < 16; r++, rowOffset += stride, packed += 192)
                {
                    var ca = Vector512.LoadAligned(packed);
                    var cb = Vector512.LoadAligned(packed + 64);
                    var cc = Vector512.LoadAligned(packed + 128);
                    var lo = Vector512.LoadAligned(linesA + rowOffset);
                    var hi = Vector512.LoadAligned(linesA + rowOffset + 64);
                    a0 += Sad(Avx512Vbmi.PermuteVar64x8x2(lo, pa0, hi), ca);
                    b0 += Sad(Avx512Vbmi.PermuteVar64x8x2(lo, pb0, hi), cb);
                    c0 += Sad(Avx512Vbmi.PermuteVar64x8x2(lo, pc0, hi), cc);
                    if (!secondSet) continue;
                    lo = Vector512.LoadAligned(linesB + rowOffset);
                    hi = Vector512.LoadAligned(linesB + rowOffset + 64);
                    a1 += Sad(Avx512Vbmi.PermuteVar64x8x2(lo, pa1, hi), ca);
                    b1 += Sad(Avx512Vbmi.PermuteVar64x8x2(lo, pb1, hi), cb);
                    c1 += Sad(Avx512Vbmi.PermuteVar64x8x2(lo, pc1, hi), cc);
                }
                var sums = Reduce(a0, b0, c0, a1, b1, c1);
                ulong tieDy = ((ulong)Math.Abs(dy) << CandidateKey.L1Shift) + ((ulong)(dy + CandidateKey.Offset) << CandidateKey.VectorBits);
                best = Vector512.Min(best, (sums << CandidateKey.SadShift) + tieDx + Vector512.Create(tieDy));
            }
        }
        var half = Vector256.Min(best.GetLower(), best.GetUpper());
        var quarter = Vector128.Min(half.GetLower(), half.GetUpper());
        return (long)Math.Min(quarter.ToScalar(), quarter.GetElement(1));
    }

    /// <summary>
    /// vpermt2b indices that pack the windows of four candidates (starting at bytes s0..s3 of the
    /// two cache lines) as [s0+0..48 | s1+0..16], [s1+16..48 | s2+0..32], [s2+32..48 | s3+0..48].
    /// </summary>
    private static (Vector512<byte> A, Vector512<byte> B, Vector512<byte> C) PackIndices(ReadOnlySpan<int> s)
    {
        var iota = Vector512<byte>.Indices;
        Vector512<byte> Part(int split, int before, int after) =>
            iota + Vector512.ConditionalSelect(Vector512.LessThan(iota, Vector512.Create((byte)split)),
                Vector512.Create((byte)before), Vector512.Create((byte)(after - split)));
        return (Part(48, s[0], s[1]), Part(32, s[1] + 16, s[2]), Part(16, s[2] + 32, s[3]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Sad(Vector512<byte> reference, Vector512<byte> cur) =>
        Avx512BW.SumAbsoluteDifferences(reference, cur).AsUInt64();

    /// <summary>
    /// The eight candidates' SADs, lane k = candidate k, from the two packed sets of accumulators
    /// (a: lanes 0-5 candidate 0, 6-7 candidate 1; b: 0-3 candidate 1, 4-7 candidate 2;
    /// c: 0-1 candidate 2, 2-7 candidate 3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Reduce(Vector512<ulong> a0, Vector512<ulong> b0, Vector512<ulong> c0,
        Vector512<ulong> a1, Vector512<ulong> b1, Vector512<ulong> c1)
    {
        var low6 = Vector512.Create(~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, 0UL, 0UL);
        var low4 = Vector512.Create(~0UL, ~0UL, ~0UL, ~0UL, 0UL, 0UL, 0UL, 0UL);
        var low2 = Vector512.Create(~0UL, ~0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL);
        return Reduce8(
            a0 & low6, Vector512.AndNot(a0, low6) + (b0 & low4), Vector512.AndNot(b0, low4) + (c0 & low2), Vector512.AndNot(c0, low2),
            a1 & low6, Vector512.AndNot(a1, low6) + (b1 & low4), Vector512.AndNot(b1, low4) + (c1 & low2), Vector512.AndNot(c1, low2));
    }

    /// <summary>Lane k of the result = sum of all lanes of input k, by a transposing add tree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Reduce8(Vector512<ulong> v0, Vector512<ulong> v1, Vector512<ulong> v2, Vector512<ulong> v3,
        Vector512<ulong> v4, Vector512<ulong> v5, Vector512<ulong> v6, Vector512<ulong> v7)
    {
        // 128-bit lane j of p01 = (v0[2j] + v0[2j+1], v1[2j] + v1[2j+1]).
        var p01 = Avx512F.UnpackLow(v0, v1) + Avx512F.UnpackHigh(v0, v1);
        var p23 = Avx512F.UnpackLow(v2, v3) + Avx512F.UnpackHigh(v2, v3);
        var p45 = Avx512F.UnpackLow(v4, v5) + Avx512F.UnpackHigh(v4, v5);
        var p67 = Avx512F.UnpackLow(v6, v7) + Avx512F.UnpackHigh(v6, v7);
        // Lanes (0, 2) plus lanes (1, 3) of each pair, twice over.
        var q0123 = Avx512F.Shuffle4x128(p01, p23, 0b10_00_10_00) + Avx512F.Shuffle4x128(p01, p23, 0b11_01_11_01);
        var q4567 = Avx512F.Shuffle4x128(p45, p67, 0b10_00_10_00) + Avx512F.Shuffle4x128(p45, p67, 0b11_01_11_01);
        return Avx512F.Shuffle4x128(q0123, q4567, 0b10_00_10_00) + Avx512F.Shuffle4x128(q0123, q4567, 0b11_01_11_01);
    }
}
