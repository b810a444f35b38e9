using Decoupled.Metrics.Frame;
using Decoupled.Metrics.Perceptual;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>A prediction from K given frames.</summary>
/// <param name="Video">The given frames followed by the predicted ones.</param>
/// <param name="Predicted">The predicted frames alone.</param>
/// <param name="BestTrial">0-based trial kept (the best PSNR against the truth, or 0 without one).</param>
/// <param name="Psnr">Mean PSNR of the kept trial's predicted frames against the truth.</param>
/// <param name="Ssim">Mean SSIM of the kept trial against the truth.</param>
/// <param name="TrialPsnr">PSNR of every trial.</param>
/// <param name="CopyLastPsnr">The copy-last-frame baseline's PSNR (frame K-1 repeated).</param>
/// <param name="CopyLastSsim">The copy-last-frame baseline's SSIM.</param>
/// <param name="PsnrChanged">PSNR of the kept trial where the truth changes (<see cref="ChangedRegionPsnr"/>; null when nothing changes).</param>
/// <param name="CopyLastPsnrChanged">The copy-last-frame baseline's PSNR where the truth changes.</param>
/// <param name="TrialSsim">SSIM of every trial (null without a truth).</param>
/// <param name="TrialLpips">LPIPS of every trial (null without a truth or an LPIPS network).</param>
/// <param name="CopyLastLpips">The copy-last-frame baseline's LPIPS (null without a truth or an LPIPS network).</param>
public sealed record MosoPredictionResult(VideoClip Video, VideoClip Predicted, int BestTrial, double? Psnr, double? Ssim,
    IReadOnlyList<double> TrialPsnr, double? CopyLastPsnr, double? CopyLastSsim, double? PsnrChanged = null, double? CopyLastPsnrChanged = null,
    IReadOnlyList<double>? TrialSsim = null, IReadOnlyList<double>? TrialLpips = null, double? CopyLastLpips = null)
{
    /// <summary>LPIPS of the kept trial (lower is better); null without a truth or an LPIPS network.</summary>
    public double? Lpips => TrialLpips is { Count: > 0 } all ? all[BestTrial] : null;

    /// <summary>The lowest LPIPS of any trial, chosen apart from PSNR and SSIM (the paper's protocol, as <see cref="BestSsim"/>).</summary>
    public double? BestLpips => TrialLpips is { Count: > 0 } all ? all.Min() : null;

    /// <summary>
    /// The best SSIM of any trial, chosen apart from PSNR: the paper's protocol on KTH, KITTI and
    /// RoboNet ("the best SSIM, PSNR and LPIPS scores over 100 trials per video"), so with several
    /// trials it may come from another trial than <see cref="Ssim"/>. Null without a truth.
    /// </summary>
    public double? BestSsim => TrialSsim is { Count: > 0 } all ? all.Max() : null;
}

/// <summary>
/// Video prediction with MOSO: any number of frames, chunk by chunk (each chunk is predicted from
/// the last K frames so far, as the paper does for long videos), and the paper's best-of-M
/// trials protocol (KTH, KITTI, RoboNet: the best score of M samples per video, for each metric apart).
/// </summary>
public static class MosoPrediction
{
    /// <summary>
    /// Predicts <paramref name="frames"/> frames after <paramref name="context"/> (exactly K frames at
    /// the model's size). With <paramref name="truth"/> (the real next frames), scores every trial and keeps the best.
    /// <paramref name="anchor"/> says what each chunk's predicted frames are built on (the paper: the decodings alone).
    /// With <paramref name="lpips"/> every trial and the copy-last baseline are also scored by LPIPS.
    /// </summary>
    public static MosoPredictionResult Predict(MosoSampler sampler, MosoTransformerConfig config, VideoClip context, int frames,
        VideoClip? truth, int trials, MosoSampleOptions options, Generator generator, MosoAnchor anchor = MosoAnchor.None, LpipsNetwork? lpips = null)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        int k = config.ContextFrames, t = config.VqVae.Frames;
        if (context.Frames != k) throw new ArgumentException($"the model predicts from {k} frames, got {context.Frames}");
        if (frames < 1) throw new UserInputException($"--frames must be at least 1, got {frames}");
        if (trials < 1) throw new UserInputException($"--trials must be at least 1, got {trials}");
        if (truth is not null && truth.Frames < frames) throw new ArgumentException($"the truth has {truth.Frames} frames, fewer than the {frames} to predict");
        var layout = config.Layout(MosoTask.Prediction);

        using var scope = NewDisposeScope();
        // [trials, 3, frames so far, H, W]: every trial extends its own sequence.
        var sequence = ClipTensor.ToBatch([context]).expand(trials, -1, -1, -1, -1).contiguous();
        while (sequence.shape[2] < k + frames)
        {
            var last = sequence[.., .., TensorIndex.Slice(sequence.shape[2] - k)];
            var window = last.index_select(2, torch.tensor(Enumerable.Range(0, t).Select(i => (long)Math.Min(i, k - 1)).ToArray()));
            var decoded = sampler.SampleTensor(layout, window, trials, options, generator);
            var lastGiven = last[.., .., TensorIndex.Slice(k - 1, k)];
            sequence = torch.cat([sequence, MosoAnchoring.PredictedFrames(anchor, decoded, lastGiven, k)], 2);
        }
        var videos = ClipTensor.FromBatch(sequence[.., .., TensorIndex.Slice(0, k + frames)]);
        var predicted = videos.Select(v => v.Slice(k, frames)).ToList();
        if (truth is null) return new MosoPredictionResult(videos[0], predicted[0], 0, null, null, [], null, null);

        var target = truth.Slice(0, frames);
        var trialPsnr = predicted.Select(p => Psnr.Clip(target, p)).ToList();
        var trialSsim = predicted.Select(p => Ssim.Clip(target, p)).ToList();
        int best = trialPsnr.IndexOf(trialPsnr.Max());
        var copyLast = CopyLast(context, frames);
        var lastGivenFrame = context.Frame(k - 1);
        var trialLpips = lpips is null ? null : predicted.Select(p => LpipsVideo.Score(lpips, target, p).Mean).ToList();
        double? copyLastLpips = lpips is null ? null : LpipsVideo.Score(lpips, target, copyLast).Mean;
        return new MosoPredictionResult(videos[best], predicted[best], best, trialPsnr[best], trialSsim[best],
            trialPsnr, Psnr.Clip(target, copyLast), Ssim.Clip(target, copyLast),
            ChangedRegionPsnr.Clip(target, predicted[best], lastGivenFrame), ChangedRegionPsnr.Clip(target, copyLast, lastGivenFrame), trialSsim, trialLpips, copyLastLpips);
    }

    /// <summary>The copy-last-frame baseline: the last given frame repeated <paramref name="frames"/> times.</summary>
    public static VideoClip CopyLast(VideoClip context, int frames)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clip = new VideoClip(frames, context.Height, context.Width, context.FramesPerSecond);
        var last = context.Frame(context.Frames - 1);
        for (int i = 0; i < frames; i++) last.CopyTo(clip.Frame(i));
        return clip;
    }
}
