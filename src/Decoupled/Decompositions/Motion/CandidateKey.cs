namespace Decoupled.Decompositions;

/// <summary>
/// Packs a candidate's SAD and vector into one <see cref="long"/> whose order is the search's
/// preference: smaller SAD, then smaller |dx|+|dy| (so the zero vector wins every tie it is in),
/// then smaller dy, then smaller dx. Taking the minimum key is then branch-free and deterministic
/// whatever order candidates are visited in.
/// </summary>
internal static class CandidateKey
{
    /// <summary>Added to dx and dy so |dx|, |dy| &lt;= 255 fit in 9 bits.</summary>
    public const int Offset = 256;

    /// <summary>Bits of each offset vector component.</summary>
    public const int VectorBits = 9;

    /// <summary>Position of |dx|+|dy| (at most 510: 9 bits and one spare).</summary>
    public const int L1Shift = 2 * VectorBits;

    /// <summary>Position of the SAD, the most significant field.</summary>
    public const int SadShift = L1Shift + VectorBits + 1;

    /// <summary>Worse than every real candidate.</summary>
    public const long None = long.MaxValue;

    /// <summary>Key of a candidate with the given SAD and vector.</summary>
    public static long Make(int sad, int dx, int dy) =>
        ((long)sad << SadShift) | ((long)(Math.Abs(dx) + Math.Abs(dy)) << L1Shift) | ((long)(dy + Offset) << VectorBits) | (uint)(dx + Offset);

    /// <summary>The SAD stored in a key.</summary>
    public static int Sad(long key) => (int)(key >> SadShift);

    /// <summary>The horizontal component stored in a key.</summary>
    public static int Dx(long key) => (int)(key & ((1 << VectorBits) - 1)) - Offset;

    /// <summary>The vertical component stored in a key.</summary>
    public static int Dy(long key) => (int)((key >> VectorBits) & ((1 << VectorBits) - 1)) - Offset;
}
