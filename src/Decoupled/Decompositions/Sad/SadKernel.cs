namespace Decoupled.Decompositions;

/// <summary>
/// Which instruction set computes sums of absolute differences. <see cref="Auto"/> picks the
/// widest this CPU supports; the others force one path (for tests and benchmarks) and fail with
/// <see cref="PlatformNotSupportedException"/> where the CPU lacks it.
/// </summary>
public enum SadKernel
{
    /// <summary>The widest supported: AVX-512BW, else AVX2, else Vector128, else scalar.</summary>
    Auto,

    /// <summary>
    /// 512-bit <c>vpsadbw</c> (AVX-512BW) for 16-pixel rows, 256-bit for narrower rows; the
    /// exhaustive 16x16 search also uses <c>vpermt2b</c> (AVX-512 VBMI) where present.
    /// </summary>
    Avx512,

    /// <summary>256-bit plus 128-bit <c>vpsadbw</c> (AVX2).</summary>
    Avx2,

    /// <summary>Portable <see cref="System.Runtime.Intrinsics.Vector128"/> code (any SIMD CPU, ARM included).</summary>
    Vector128,

    /// <summary>Plain scalar loop: the reference the others are tested against.</summary>
    Scalar,
}
