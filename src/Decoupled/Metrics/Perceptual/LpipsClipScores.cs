namespace Decoupled.Metrics.Perceptual;

/// <summary>LPIPS of two clips, frame by frame.</summary>
/// <param name="PerFrame">LPIPS of frame t of one clip against frame t of the other.</param>
/// <param name="Mean">Mean over the frames (a clip's LPIPS in the papers' prediction tables).</param>
public sealed record LpipsClipScores(IReadOnlyList<double> PerFrame, double Mean)
{
    /// <summary>Mean, population standard deviation and count of the per-frame values.</summary>
    public MetricSummary Summary => MetricSummary.Of(PerFrame.ToArray());
}
