using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Decoupled.Decompositions;

/// <summary>
/// SAD with 256-bit and 128-bit <c>vpsadbw</c> (AVX2). Rows are RGB bytes: 48 (16 px) =
/// 32 + 16, 24 (8 px) = one 32-byte load whose last 8 bytes are ignored, 12 (4 px) = one
/// masked 16-byte load.
/// </summary>
internal static unsafe class SadAvx2
{
    /// <summary>True where the CPU has AVX2.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>SAD of two blocks of <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes (rowBytes in 12, 24, 48).</summary>
    public static int Sad(byte* a, byte* b, int stride, int rowBytes, int rows)
    {
        switch (rowBytes)
        {
            case 48:
            {
                var acc = Vector256<ulong>.Zero;
                var acc16 = Vector128<ulong>.Zero;
                for (int r = 0; r < rows; r++, a += stride, b += stride)
                {
                    acc += Avx2.SumAbsoluteDifferences(Vector256.Load(a), Vector256.Load(b)).AsUInt64();
                    acc16 += Sse2.SumAbsoluteDifferences(Vector128.Load(a + 32), Vector128.Load(b + 32)).AsUInt64();
                }
                return (int)(Vector256.Sum(acc) + Vector128.Sum(acc16));
            }
            case 24:
            {
                var acc = Vector256<ulong>.Zero;
                for (int r = 0; r < rows; r++, a += stride, b += stride)
                    acc += Avx2.SumAbsoluteDifferences(Vector256.Load(a), Vector256.Load(b)).AsUInt64();
                // vpsadbw sums each 8-byte group into its own 64-bit lane: lane 3 holds bytes 24..31, not ours.
                return (int)(acc.GetElement(0) + acc.GetElement(1) + acc.GetElement(2));
            }
            default:
            {
                // Bytes 8..11 share a lane with bytes 12..15, so mask rather than ignore a lane.
                var mask = Vector128.Create(-1L, 0x00000000FFFFFFFFL).AsByte();
                var acc = Vector128<ulong>.Zero;
                for (int r = 0; r < rows; r++, a += stride, b += stride)
                    acc += Sse2.SumAbsoluteDifferences(Vector128.Load(a) & mask, Vector128.Load(b) & mask).AsUInt64();
                return (int)Vector128.Sum(acc);
            }
        }
    }
}
