using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// ED-VDM's target space, as an H.264 I-frame plus P-frames: the first frame, one motion vector
/// per macroblock per P-frame, and the motion-compensated residual
/// <c>Residuals[n-1] = v[n] - prediction(v[n-1], vectors[n-1])</c> in [-255, 255], <c>[T-1, H, W, C]</c>.
/// </summary>
/// <param name="FirstFrame">Frame 0 as a one-frame clip (the I-frame).</param>
/// <param name="MotionVectors">Per-block vectors of the T-1 P-frames.</param>
/// <param name="Residuals">What motion compensation leaves, stored losslessly.</param>
public sealed record BlockMotionParts(VideoClip FirstFrame, MotionVectorField MotionVectors, SignedVideo Residuals)
{
    /// <summary>Mean |residual| over every sample: what <c>decompose</c> reports as mean_abs_residual.</summary>
    public double MeanAbsResidual() => Residuals.MeanAbs();
}
