using System.Globalization;
using System.Text;
using Decoupled.Cli.Infrastructure;
using Decoupled.IO;
using Decoupled.Metrics;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Pipelines.Moso;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled evaluate --checkpoint MOSO_VQVAE_RUN</c>: reconstruction PSNR and SSIM (the paper's appendix Table C.1).</summary>
internal static class EvaluateMosoReconstruction
{
    /// <summary>The last moving frame of the still-tail videos: the pseudo video of predicting from 2 frames (equation 10).</summary>
    private const int StillAfter = 1;

    /// <summary>
    /// Reconstructs <paramref name="count"/> held-out clips and reports PSNR and SSIM over every
    /// frame; then the same clips frozen after frame 1 (a 2-frame prediction's pseudo video),
    /// scored on the repeated frames: whether the tokenizer draws what stands still.
    /// </summary>
    public static async Task<int> RunAsync(string folder, string data, int count, long seed, FileInfo? json, FileInfo? markdown, CancellationToken token)
    {
        var (config, vqvae) = MosoVqVaeModel.Load(folder);
        var clips = EvaluationClips.Load(data, count, config.Frames, config.Height, config.Width, seed).Select(c => c.Clip).ToList();
        AnsiConsole.MarkupLine($"reconstructing {count} {Markup.Escape(data)} clips ({config.Frames}x{config.Height}x{config.Width}) through MOSO-VQVAE{(config.Net.Decomposed ? "" : " (non-decomposed)")}");
        var stillClips = clips.Select(c => MosoStillTail.Freeze(c, StillAfter)).ToList();
        List<double> psnr = [], ssim = [], stillPsnr = [], stillSsim = [];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await ProgressBar.RunAsync("reconstructing", 2 * count, tick => Task.Run(() =>
        {
            (psnr, ssim) = MosoReconstruction.Quality(vqvae, clips, clipDone: tick, cancellation: token);
            (stillPsnr, stillSsim) = MosoReconstruction.Quality(vqvae, stillClips, clipDone: tick, cancellation: token, firstScoredFrame: StillAfter + 1);
        }, token));
        var metrics = new Dictionary<string, MetricSummary>
        {
            ["psnr"] = MetricSummary.Of(psnr.ToArray()), ["ssim"] = MetricSummary.Of(ssim.ToArray()),
            ["still_tail_psnr"] = MetricSummary.Of(stillPsnr.ToArray()), ["still_tail_ssim"] = MetricSummary.Of(stillSsim.ToArray()),
        };
        var table = new Table().AddColumn("metric").AddColumn("mean").AddColumn("std").AddColumn("n");
        foreach (var (name, m) in metrics) table.AddRow(name, m.Mean.ToString("0.000", CultureInfo.InvariantCulture), m.Std.ToString("0.000", CultureInfo.InvariantCulture), m.N.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        if (markdown is not null)
        {
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"MOSO-VQVAE reconstruction of {count} {data} clips (`{folder}`)");
            text.AppendLine();
            text.AppendLine("| PSNR | SSIM | still-tail PSNR | still-tail SSIM | n |");
            text.AppendLine("|---|---|---|---|---|");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {metrics["psnr"].Mean:0.00} | {metrics["ssim"].Mean:0.000} | {metrics["still_tail_psnr"].Mean:0.00} | {metrics["still_tail_ssim"].Mean:0.000} | {count} |");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Still tail: each clip frozen after frame {StillAfter} (a 2-frame prediction's pseudo video), scored on the repeated frames.");
            AtomicFile.WriteAllText(markdown.FullName, text.ToString());
        }
        if (json is not null)
            JsonFile.Write(json.FullName, new { checkpoint = Path.GetFullPath(folder), model = config.ModelType, decomposed = config.Net.Decomposed, real = data, count, seconds = watch.Elapsed.TotalSeconds, metrics });
        return ExitCodes.Ok;
    }
}
