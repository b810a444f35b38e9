namespace Decoupled.Decompositions;

/// <summary>
/// Builds a P-frame's prediction from the previous (reconstructed, padded) frame and the block
/// vectors: the one step encoder and decoder share, so both see the same prediction.
/// </summary>
internal static class MotionCompensation
{
    /// <summary>
    /// Writes the <c>[H, W, 3]</c> prediction of P-frame <paramref name="t"/> into
    /// <paramref name="prediction"/>. Vectors that would leave the padded reference (possible only
    /// for generated vectors) are clamped to its edge.
    /// </summary>
    public static void Predict(PaddedFrame reference, MotionVectorField field, int t, byte[] prediction)
    {
        int b = field.BlockSize, h = field.Height, w = field.Width;
        Parallel.For(0, field.BlocksY, by =>
        {
            var src = reference.Pixels;
            for (int bx = 0; bx < field.BlocksX; bx++)
            {
                var (dx, dy) = field[t, by, bx];
                int x = bx * b, y = by * b;
                int sx = Math.Clamp(x + dx, 0, reference.PaddedWidth - b);
                int sy = Math.Clamp(y + dy, 0, reference.PaddedHeight - b);
                int rows = Math.Min(b, h - y), rowBytes = Math.Min(b, w - x) * 3;
                for (int r = 0; r < rows; r++)
                    src.Slice((sy + r) * reference.Stride + sx * 3, rowBytes)
                        .CopyTo(prediction.AsSpan(((y + r) * w + x) * 3, rowBytes));
            }
        });
    }
}
