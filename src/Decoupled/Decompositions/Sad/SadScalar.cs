namespace Decoupled.Decompositions;

/// <summary>Scalar SAD: the reference every SIMD path is tested against.</summary>
internal static unsafe class SadScalar
{
    /// <summary>SAD of two blocks of <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes.</summary>
    public static int Sad(byte* a, byte* b, int stride, int rowBytes, int rows)
    {
        int sum = 0;
        for (int r = 0; r < rows; r++, a += stride, b += stride)
            for (int i = 0; i < rowBytes; i++)
                sum += Math.Abs(a[i] - b[i]);
        return sum;
    }
}
