namespace Decoupled.Decompositions;

/// <summary>How <see cref="BlockMotion"/> looks for each macroblock's motion vector.</summary>
public enum MotionSearch
{
    /// <summary>
    /// Every integer-pel candidate within ±SearchRange that keeps the block inside the padded
    /// reference: the true SAD minimum (with the documented tie rule). The reference search.
    /// </summary>
    Exhaustive,

    /// <summary>
    /// Predictive diamond search (Zhu &amp; Ma's diamond search seeded EPZS-style): start from the
    /// best of the zero vector and the left neighbour's vector, walk the large diamond
    /// (8 points at distance 2) until its centre wins, then refine with the small diamond
    /// (4 points at distance 1). About 20-40 candidates per block instead of (2R+1)^2. It can
    /// stop in a local minimum, but never returns a vector worse than the zero vector, which
    /// it always evaluates.
    /// </summary>
    Diamond,
}
