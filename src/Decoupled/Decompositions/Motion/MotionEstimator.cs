namespace Decoupled.Decompositions;

/// <summary>
/// Finds each macroblock's integer-pel vector in one block row of one P-frame, by exhaustive
/// or diamond search. Candidates keep the whole block inside the padded reference frame.
/// </summary>
internal static unsafe class MotionEstimator
{
    private static readonly (int Dx, int Dy)[] LargeDiamond = [(0, -2), (-1, -1), (1, -1), (-2, 0), (2, 0), (-1, 1), (1, 1), (0, 2)];
    private static readonly (int Dx, int Dy)[] SmallDiamond = [(0, -1), (-1, 0), (1, 0), (0, 1)];

    /// <summary>Writes the vectors of block row <paramref name="by"/> of P-frame <paramref name="t"/> into <paramref name="field"/>.</summary>
    public static void EstimateRow(SadKernel resolved, MotionSearch search, int range, int vectorCost,
        PaddedFrame current, PaddedFrame reference, MotionVectorField field, int t, int by)
    {
        int b = field.BlockSize, stride = current.Stride, y = by * b;
        for (int bx = 0; bx < field.BlocksX; bx++)
        {
            int x = bx * b;
            byte* cur = current.Origin + (nint)y * stride + x * 3;
            byte* refOrigin = reference.Origin + (nint)y * stride + x * 3;
            var w = Window.For(range, x, y, current.PaddedWidth - b, current.PaddedHeight - b);
            var left = bx > 0 ? field[t, by, bx - 1] : (0, 0);
            long best = search != MotionSearch.Exhaustive ? Diamond(resolved, cur, refOrigin, stride, b, w, left)
                : vectorCost > 0 ? RateConstrained(resolved, cur, refOrigin, stride, b, w, vectorCost, left)
                : BlockSad.SearchWindow(resolved, cur, refOrigin, stride, b, w.DxMin, w.DxMax, w.DyMin, w.DyMax);
            field[t, by, bx] = (CandidateKey.Dx(best), CandidateKey.Dy(best));
        }
    }

    // Every candidate, costed SAD + lambda * |v - prediction|_1; the key's tie rule still prefers short vectors.
    private static long RateConstrained(SadKernel resolved, byte* cur, byte* refOrigin, int stride, int b, Window w, int lambda, (int Dx, int Dy) prediction)
    {
        long best = CandidateKey.None;
        for (int dy = w.DyMin; dy <= w.DyMax; dy++)
            for (int dx = w.DxMin; dx <= w.DxMax; dx++)
            {
                int cost = BlockSad.Sad(resolved, cur, refOrigin + (nint)dy * stride + dx * 3, stride, b)
                    + lambda * (Math.Abs(dx - prediction.Dx) + Math.Abs(dy - prediction.Dy));
                best = Math.Min(best, CandidateKey.Make(cost, dx, dy));
            }
        return best;
    }

    private static long Diamond(SadKernel resolved, byte* cur, byte* refOrigin, int stride, int b, Window w, (int Dx, int Dy) leftVector)
    {
        long Evaluate(int dx, int dy) => w.Contains(dx, dy)
            ? CandidateKey.Make(BlockSad.Sad(resolved, cur, refOrigin + (nint)dy * stride + dx * 3, stride, b), dx, dy)
            : CandidateKey.None;

        // The zero vector is always a candidate, so the result is never worse than no motion.
        long best = Evaluate(0, 0);
        if (leftVector != (0, 0)) best = Math.Min(best, Evaluate(leftVector.Dx, leftVector.Dy));
        while (true)
        {
            long centre = best;
            int cx = CandidateKey.Dx(centre), cy = CandidateKey.Dy(centre);
            foreach (var (ox, oy) in LargeDiamond) best = Math.Min(best, Evaluate(cx + ox, cy + oy));
            if (best == centre) break;
        }
        int fx = CandidateKey.Dx(best), fy = CandidateKey.Dy(best);
        foreach (var (ox, oy) in SmallDiamond) best = Math.Min(best, Evaluate(fx + ox, fy + oy));
        return best;
    }

    /// <summary>The vectors allowed for a block: within ±range and keeping the block inside the padded frame.</summary>
    private readonly record struct Window(int DxMin, int DxMax, int DyMin, int DyMax)
    {
        public static Window For(int range, int x, int y, int maxX, int maxY) =>
            new(Math.Max(-range, -x), Math.Min(range, maxX - x), Math.Max(-range, -y), Math.Min(range, maxY - y));

        public bool Contains(int dx, int dy) => dx >= DxMin && dx <= DxMax && dy >= DyMin && dy <= DyMax;
    }
}
