using System.CommandLine;
using System.Diagnostics;
using Decoupled.Cli.Infrastructure;
using Decoupled.Metrics.Frame;
using Decoupled.Metrics.Perceptual;
using Decoupled.Pipelines.Moso;
using Decoupled.Video;
using Spectre.Console;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled predict</c>: MOSO video prediction from the first K frames of a video.</summary>
public static class PredictCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "MOSO-Transformer run folder (or its checkpoint/ folder).", Required = true };
        var input = new Option<string>("--input") { Description = "A video file or frame folder, a folder of videos, or 'shapes' (held-out shapes clips); the first K frames are given, the next ones (when present) are the truth the prediction is scored against.", Required = true };
        var count = new Option<int>("--count") { Description = "With --input shapes: clips to predict.", DefaultValueFactory = _ => 16 };
        var windows = new Option<int>("--windows") { Description = "With a single video: predict in this many consecutive, non-overlapping windows of K + N frames cut from it.", DefaultValueFactory = _ => 1 };
        var size = new Option<int?>("--size") { Description = "Frame side to resize and centre-crop to (default and only accepted value: the model's)." };
        var context = new Option<int?>("--context") { Description = "Given frames K (default and only accepted value: the model's)." };
        var frames = new Option<int?>("--frames") { Description = "Frames to predict (default: the model's clip length minus K; longer horizons are predicted chunk by chunk)." };
        var trials = new Option<int>("--trials") { Description = "Samples drawn; the one with the best PSNR against the truth is written and scored, and the best SSIM of any trial is reported apart (the paper's protocol on KTH: each metric's best over the trials).", DefaultValueFactory = _ => 1 };
        var anchor = new Option<string>("--anchor") { Description = "What the predicted frames are built on: none (the paper: the VQ-VAE's decodings), last-frame (the last given frame plus the decoded change since it, so the VQ-VAE's error on a static scene cancels) or unchanged (last-frame where the decoding is static, the decoding alone where it changes by 0.1 or more, a blend between) or copy-unchanged (the last given frame itself where the decoding is static, the decoding where it changes by 0.1 or more, a linear blend between).", DefaultValueFactory = _ => "none" }.AcceptOnlyFromAmong("none", "last-frame", "unchanged", "copy-unchanged");
        var lpips = new Option<FileInfo?>("--lpips") { Description = "LPIPS weights (.safetensors of lpips.LPIPS(net='alex'|'vgg'); see README, Metrics): also score every trial and the copy-last baseline by LPIPS." };
        var output = new Option<string>("--out") { Description = "Output video (.gif or .mp4): the given frames followed by the predicted ones; a folder when there are several inputs.", Required = true };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var sampling = new MosoSamplingOptions();
        var command = new Command("predict", "Predict the next frames of a video with a MOSO-Transformer checkpoint, scored against the real frames (PSNR, SSIM, PSNR where the truth changes, copy-last-frame baseline) when the video has them.")
            { checkpoint, input, count, windows, size, context, frames, trials, anchor, lpips, output, seed, json };
        foreach (var option in sampling.All) command.Options.Add(option);
        command.SetGuarded(async (parse, token) =>
        {
            var model = sampling.Load(parse, parse.GetValue(checkpoint)!);
            var config = model.Config;
            int k = config.ContextFrames, s = config.VqVae.Height;
            if (parse.GetValue(size) is { } asked && asked != s) throw new UserInputException($"--size {asked}: this model works at {s}x{s}");
            if (parse.GetValue(context) is { } givenK && givenK != k) throw new UserInputException($"--context {givenK}: this model predicts from {k} frames (set at training with --context)");
            int n = parse.GetValue(frames) ?? config.VqVae.Frames - k;
            if (n < 1) throw new UserInputException($"--frames must be at least 1, got {n}");
            int m = parse.GetValue(trials);
            if (m is < 1 or > 1000) throw new UserInputException($"--trials must be 1..1000, got {m}");
            int clipCount = parse.GetValue(count);
            if (clipCount is < 1 or > 100000) throw new UserInputException($"--count must be at least 1, got {clipCount}");
            int windowCount = parse.GetValue(windows);
            if (windowCount < 1) throw new UserInputException($"--windows must be at least 1, got {windowCount}");
            var inputs = PredictionInputs.Open(parse.GetValue(input)!, k, n, s, clipCount, windowCount, parse.GetValue(seed));
            var anchorMode = parse.GetValue(anchor) switch { "last-frame" => MosoAnchor.LastFrame, "unchanged" => MosoAnchor.Unchanged, "copy-unchanged" => MosoAnchor.CopyUnchanged, _ => MosoAnchor.None };
            using var lpipsNetwork = parse.GetValue(lpips) is { } lpipsFile ? LpipsWeights.Load(lpipsFile.FullName) : null;
            var outPath = parse.GetValue(output)!;
            if (inputs.Count > 1) Directory.CreateDirectory(outPath);

            var watch = Stopwatch.StartNew();
            using var generator = new torch.Generator((ulong)parse.GetValue(seed));
            var sampleOptions = sampling.From(parse);
            var sampler = model.Sampler();
            var results = new List<object>();
            var scored = new List<MosoPredictionResult>();
            void PredictAll(Action advance)
            {
                foreach (var (name, clip) in inputs)
                {
                    token.ThrowIfCancellationRequested();
                    var given = clip.Slice(0, k);
                    var truth = clip.Frames >= k + n ? clip.Slice(k, n) : null;
                    var result = MosoPrediction.Predict(sampler, config, given, n, truth, m, sampleOptions, generator, anchorMode, lpipsNetwork);
                    var path = inputs.Count > 1 ? Path.Combine(outPath, name + Path.GetExtension(outPath) switch { "" => ".gif", var e => e }) : outPath;
                    VideoWriter.Write(result.Video, path);
                    if (result.Psnr is not null) scored.Add(result);
                    results.Add(new
                    {
                        input = name, output = Path.GetFullPath(path), best_trial = result.BestTrial, psnr = result.Psnr, ssim = result.Ssim, trial_psnr = result.TrialPsnr,
                        trial_ssim = result.TrialSsim, best_ssim = result.BestSsim,
                        lpips = result.Lpips, trial_lpips = result.TrialLpips, best_lpips = result.BestLpips, copy_last_lpips = result.CopyLastLpips,
                        copy_last_psnr = result.CopyLastPsnr, copy_last_ssim = result.CopyLastSsim,
                        psnr_changed = result.PsnrChanged, copy_last_psnr_changed = result.CopyLastPsnrChanged,
                    });
                    advance();
                }
            }
            await ProgressBar.RunAsync("predicting", inputs.Count, advance => { PredictAll(advance); return Task.CompletedTask; });
            double seconds = watch.Elapsed.TotalSeconds;
            // Clips where nothing changes have no changed-region PSNR; its means leave them out and say how many count.
            var changing = scored.Where(r => r.PsnrChanged is not null).ToList();
            var summary = scored.Count == 0 ? null : new
            {
                psnr = scored.Average(r => r.Psnr!.Value), ssim = scored.Average(r => r.Ssim!.Value), best_ssim = scored.Average(r => r.BestSsim!.Value),
                copy_last_psnr = scored.Average(r => r.CopyLastPsnr!.Value), copy_last_ssim = scored.Average(r => r.CopyLastSsim!.Value), clips = scored.Count,
                psnr_changed = changing.Count == 0 ? (double?)null : changing.Average(r => r.PsnrChanged!.Value),
                copy_last_psnr_changed = changing.Count == 0 ? (double?)null : changing.Average(r => r.CopyLastPsnrChanged!.Value),
                changed_threshold = ChangedRegionPsnr.DefaultThreshold, clips_with_change = changing.Count,
                lpips = MeanOrNull(scored, r => r.Lpips), best_lpips = MeanOrNull(scored, r => r.BestLpips), copy_last_lpips = MeanOrNull(scored, r => r.CopyLastLpips),
            };
            AnsiConsole.MarkupLine(summary is null
                ? $"predicted {n} frames from {k} for {inputs.Count} clip(s) in {seconds:0.0} s (no later frames to score against)"
                : $"predicted {n} frames from {k} for {inputs.Count} clip(s) in {seconds:0.0} s; PSNR {summary.psnr:0.00} dB, SSIM {summary.ssim:0.000}{BestOfText(m, summary.best_ssim)}; copy-last-frame baseline PSNR {summary.copy_last_psnr:0.00} dB, SSIM {summary.copy_last_ssim:0.000}{ChangedText(summary.psnr_changed, summary.copy_last_psnr_changed)}{LpipsText(summary.lpips, summary.best_lpips, summary.copy_last_lpips, m)}");
            CommonOptions.WriteJsonIfAsked(parse, json, new
            {
                model = config.ModelType, checkpoint = parse.GetValue(checkpoint), decoder = parse.GetValue(sampling.Decoder), seed = parse.GetValue(seed), context = k, frames = n, trials = m, anchor = parse.GetValue(anchor), sampling = MosoSamplingOptions.Describe(sampleOptions), seconds, seconds_per_clip = seconds / inputs.Count,
                mean = summary, clips = results,
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    // With one trial both figures are the same; with several, the paper's protocol takes each metric's best apart.
    private static string BestOfText(int trials, double bestSsim) =>
        trials == 1 ? "" : $" (the trial with the best PSNR of {trials}; the best SSIM of any trial {bestSsim:0.000}, the paper's protocol)";

    private static double? MeanOrNull(List<MosoPredictionResult> scored, Func<MosoPredictionResult, double?> value) =>
        scored.Count > 0 && scored.All(r => value(r) is not null) ? scored.Average(r => value(r)!.Value) : null;

    private static string LpipsText(double? lpips, double? best, double? copyLast, int trials) =>
        lpips is null ? "" : $"; LPIPS {lpips:0.000}{(trials == 1 ? "" : $" (best of any trial {best:0.000})")}, copy-last {copyLast:0.000}";

    private static string ChangedText(double? predicted, double? copyLast) =>
        predicted is null ? "" : $"; where the truth changes: PSNR {predicted:0.00} dB, copy-last {copyLast:0.00} dB";
}
