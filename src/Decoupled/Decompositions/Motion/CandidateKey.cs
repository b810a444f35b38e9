namespace Decoupled.Decompositions;

/// <summary>
/// Packs a candidate's SAD and vector into one <see cref="long"/> whose order is the search's
/// preference: smaller SAD, then smaller |dx|+|dy| (so the zero vector wins every tie it is in),
/// then smaller dy, then smaller dx. Taking the minimum key is then branch-free and deterministic
/// whatever order candidates are visited in.
/// </summary>
internal static class CandidateKey
{
    private const int Offset = 256; // |dx|, |dy| <= 255 fit in 9 bits once offset
    private const int VectorBits = 9;
    private const int L1Shift = 2 * VectorBits;
    private const int SadShift = L1Shift + VectorBits + 1; // |dx|+|dy| <= 510 needs 9 bits; one spare

    /// <summary>Worse than every real candidate.</summary>
    public const long None = long.MaxValue;

    /// <summary>Key of a candidate with the given SAD and vector.</summary>
    public static long Make(int sad, int dx, int dy) =>
        ((long)sad << SadShift) | ((long)(Math.Abs(dx) + Math.Abs(dy)) << L1Shift) | ((long)(dy + Offset) << VectorBits) | (uint)(dx + Offset);

    /// <summary>The tie-break part of <see cref="Make"/> (everything but the SAD), for hot loops.</summary>
    public static long TieBreak(int dx, int dy) => Make(0, dx, dy);

    /// <summary>Adds the SAD to a precomputed <see cref="TieBreak"/>.</summary>
    public static long WithSad(long tieBreak, int sad) => tieBreak | ((long)sad << SadShift);

    /// <summary>The SAD stored in a key.</summary>
    public static int Sad(long key) => (int)(key >> SadShift);

    /// <summary>The horizontal component stored in a key.</summary>
    public static int Dx(long key) => (int)(key & ((1 << VectorBits) - 1)) - Offset;

    /// <summary>The vertical component stored in a key.</summary>
    public static int Dy(long key) => (int)((key >> VectorBits) & ((1 << VectorBits) - 1)) - Offset;
}
