using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// The figures the <c>decompose</c> verb reports (JSON names in snake_case):
/// mean_abs_frame_difference is the residual with zero motion, mean_abs_residual what motion
/// compensation leaves; their ratio says how much the vectors explain.
/// </summary>
/// <param name="MeanAbsFrameDifference">Mean |v[n] - v[n-1]| over every sample.</param>
/// <param name="MeanAbsResidual">Mean |residual| over every sample.</param>
/// <param name="ZeroVectorFraction">Fraction of blocks with vector (0, 0).</param>
/// <param name="MeanVectorMagnitude">Mean vector length in pixels.</param>
public sealed record DecompositionSummary(double MeanAbsFrameDifference, double MeanAbsResidual, double ZeroVectorFraction, double MeanVectorMagnitude)
{
    /// <summary>Residual left over the residual with no motion (1 = vectors explain nothing; lower is better).</summary>
    public double ResidualRatio => MeanAbsFrameDifference == 0 ? 1 : MeanAbsResidual / MeanAbsFrameDifference;

    /// <summary>Summary of a block-motion decomposition of <paramref name="clip"/>.</summary>
    public static DecompositionSummary Of(VideoClip clip, BlockMotionParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return new(FrameDifferenceOf(clip), parts.MeanAbsResidual(), parts.MotionVectors.ZeroVectorFraction(), parts.MotionVectors.MeanMagnitude());
    }

    /// <summary>Mean |v[n] - v[n-1]| over all samples of all consecutive frame pairs (0 for one frame).</summary>
    public static double FrameDifferenceOf(VideoClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.Frames < 2) return 0;
        long sum = 0;
        for (int t = 1; t < clip.Frames; t++)
        {
            var a = clip.Frame(t);
            var b = clip.Frame(t - 1);
            for (int i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        }
        return (double)sum / ((long)(clip.Frames - 1) * clip.FrameSize);
    }
}
