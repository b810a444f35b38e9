using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Decoupled.Decompositions;

/// <summary>
/// SAD with 512-bit <c>vpsadbw</c> (AVX-512BW) for 16-pixel blocks: one 64-byte load per
/// 48-byte RGB row. vpsadbw sums each 8-byte group into its own 64-bit lane, so the 16 bytes
/// read past the row land in lanes 6 and 7, which are simply left out of the final sum: no
/// masking instruction per row. Narrower blocks use the AVX2 code. The exhaustive search over a
/// window has its own kernel, <see cref="SadAvx512Window"/>.
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
