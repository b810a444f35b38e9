namespace Decoupled.Decompositions;

/// <summary>
/// A lossy residual coder inside <see cref="BlockMotion.Decompose(IReadOnlyList{Video.VideoClip}, ResidualCoder?)"/>:
/// receives the exact residuals of one P-frame of every clip and overwrites each with what its
/// decoder will reproduce (values in -255..255).
/// </summary>
/// <param name="pFrame">P-frame index (0 for the clip's second frame).</param>
/// <param name="residuals">One <c>[H, W, 3]</c> residual per clip, exact on entry, coded on return.</param>
public delegate void ResidualCoder(int pFrame, IReadOnlyList<Memory<short>> residuals);
