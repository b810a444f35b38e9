using System.Runtime.Intrinsics;

namespace Decoupled.Decompositions;

/// <summary>Element-wise byte/short arithmetic shared by the decompositions, vectorised.</summary>
internal static class PixelMath
{
    /// <summary>dst = a - b, element-wise, as shorts in [-255, 255].</summary>
    public static void Subtract(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<short> dst)
    {
        int n = dst.Length, i = 0;
        if (a.Length < n || b.Length < n) throw new ArgumentException("inputs shorter than the output");
        for (; i <= n - Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            var (alo, ahi) = Vector256.Widen(Vector256.Create(a.Slice(i, 32)));
            var (blo, bhi) = Vector256.Widen(Vector256.Create(b.Slice(i, 32)));
            (alo.AsInt16() - blo.AsInt16()).CopyTo(dst.Slice(i, 16));
            (ahi.AsInt16() - bhi.AsInt16()).CopyTo(dst.Slice(i + 16, 16));
        }
        for (; i < n; i++) dst[i] = (short)(a[i] - b[i]);
    }

    /// <summary>dst = clamp(a + d, 0, 255), element-wise.</summary>
    public static void AddClamped(ReadOnlySpan<byte> a, ReadOnlySpan<short> d, Span<byte> dst)
    {
        int n = dst.Length, i = 0;
        if (a.Length < n || d.Length < n) throw new ArgumentException("inputs shorter than the output");
        var zero = Vector256<short>.Zero;
        var max = Vector256.Create((short)255);
        for (; i <= n - Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            var (alo, ahi) = Vector256.Widen(Vector256.Create(a.Slice(i, 32)));
            var lo = Vector256.Min(Vector256.Max(alo.AsInt16() + Vector256.Create(d.Slice(i, 16)), zero), max);
            var hi = Vector256.Min(Vector256.Max(ahi.AsInt16() + Vector256.Create(d.Slice(i + 16, 16)), zero), max);
            Vector256.Narrow(lo.AsUInt16(), hi.AsUInt16()).CopyTo(dst.Slice(i, 32));
        }
        for (; i < n; i++) dst[i] = (byte)Math.Clamp(a[i] + d[i], 0, 255);
    }
}
