using Decoupled.Decompositions;
using Decoupled.Metrics;
using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Metrics.Frame;
using Decoupled.Nn.Autoencoders;
using Decoupled.Video;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>PSNR and SSIM of one way of compressing residuals, per P-frame position and over all.</summary>
/// <param name="Method">"autoencoder" or "dct".</param>
/// <param name="Psnr">Per clip: mean PSNR over its P-frames.</param>
/// <param name="Ssim">Per clip: mean SSIM over its P-frames.</param>
/// <param name="PsnrPerFrame">Mean PSNR at each P-frame position (errors carry forward, so later frames score lower).</param>
/// <param name="SsimPerFrame">Mean SSIM at each P-frame position.</param>
/// <param name="Action">Per clip 1 when the shapes tracker still sees the clip's action in the rebuilt clip (null when no actions were given).</param>
public sealed record ReconstructionScores(string Method, MetricSummary Psnr, MetricSummary Ssim, IReadOnlyList<double> PsnrPerFrame, IReadOnlyList<double> SsimPerFrame,
    MetricSummary? Action = null);

/// <summary>
/// The paper's reconstruction tables: clips rebuilt from their first frame, exact motion vectors
/// and compressed residuals, scored against the originals (Table 2), with the autoencoder and with
/// a block DCT that keeps as many coefficients per block as the latent has channels (Table 5).
/// </summary>
public static class ReconstructionEvaluation
{
    /// <summary>
    /// Scores both methods on <paramref name="clips"/>; with <paramref name="actionIds"/> (shapes
    /// clips), also the action accuracy of the rebuilt clips, the ceiling a generator over this
    /// codec and autoencoder can reach.
    /// </summary>
    public static IReadOnlyList<ReconstructionScores> Run(IReadOnlyList<VideoClip> clips, ResidualVae vae, BlockMotionOptions codec, Action<int>? progress = null,
        IReadOnlyList<int>? actionIds = null)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(vae);
        if (clips.Count == 0) throw new ArgumentException("no clips to evaluate", nameof(clips));
        var autoencoder = new List<VideoClip>();
        var dct = new List<VideoClip>();
        for (int i = 0; i < clips.Count; i++)
        {
            autoencoder.Add(ResidualReconstruction.WithAutoencoder(clips[i], vae, codec));
            dct.Add(ResidualReconstruction.WithDct(clips[i], codec, vae.Config.LatentChannels));
            progress?.Invoke(i + 1);
        }
        if (actionIds is not null && actionIds.Count != clips.Count)
            throw new ArgumentException($"{actionIds.Count} action ids for {clips.Count} clips", nameof(actionIds));
        return [Score("autoencoder", clips, autoencoder, actionIds), Score("dct", clips, dct, actionIds)];
    }

    private static ReconstructionScores Score(string method, IReadOnlyList<VideoClip> real, IReadOnlyList<VideoClip> rebuilt, IReadOnlyList<int>? actionIds)
    {
        MetricSummary? action = null;
        if (actionIds is not null)
        {
            var result = ActionAccuracyMetric.Evaluate(rebuilt, actionIds);
            action = MetricSummary.Of(result.Predictions.Select((p, i) => p.ActionId == actionIds[i] ? 1.0 : 0.0).ToList());
        }
        // P-frames only: frame 0 is given exactly.
        var psnr = real.Select((clip, i) => Psnr.PerFrame(clip, rebuilt[i]).Skip(1).ToArray()).ToList();
        var ssim = real.Select((clip, i) => Ssim.PerFrame(clip, rebuilt[i]).Skip(1).ToArray()).ToList();
        int frames = psnr[0].Length;
        return new ReconstructionScores(method,
            MetricSummary.Of(psnr.Select(p => p.Average()).ToList()),
            MetricSummary.Of(ssim.Select(p => p.Average()).ToList()),
            Enumerable.Range(0, frames).Select(f => psnr.Average(p => p[f])).ToList(),
            Enumerable.Range(0, frames).Select(f => ssim.Average(p => p[f])).ToList(),
            action);
    }
}
