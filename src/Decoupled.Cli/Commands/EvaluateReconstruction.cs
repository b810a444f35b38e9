using System.Globalization;
using System.Text;
using Decoupled.Cli.Infrastructure;
using Decoupled.IO;
using Decoupled.Metrics;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Pipelines.Evaluation;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled evaluate --checkpoint VAE_RUN</c>: ED-VDM's reconstruction upper bound (Table 2) and its DCT baseline (Table 5).</summary>
internal static class EvaluateReconstruction
{
    /// <summary>Rebuilds <paramref name="count"/> held-out clips both ways and reports PSNR and SSIM.</summary>
    public static async Task<int> RunAsync(string folder, string data, int count, long seed, FileInfo? json, FileInfo? markdown, CancellationToken token)
    {
        var model = ResidualVaeModel.Load(folder);
        var config = model.Config;
        var items = EvaluationClips.Load(data, count, config.Frames, config.Height, config.Width, seed);
        var clips = items.Select(c => c.Clip).ToList();
        // The tracker knows only the shapes actions.
        var actionIds = data == "shapes" ? items.Select(c => c.ClassId).ToList() : null;
        AnsiConsole.MarkupLine($"rebuilding {count} {Markup.Escape(data)} clips ({config.Frames}x{config.Height}x{config.Width}) from exact motion vectors and compressed residuals ({config.Vae.LatentChannels} numbers per {config.BlockSize}x{config.BlockSize} block)");
        IReadOnlyList<ReconstructionScores> scores = [];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await ProgressBar.RunAsync("rebuilding", count, tick => Task.Run(() =>
        {
            int done = 0;
            scores = ReconstructionEvaluation.Run(clips, model.Vae, config.Codec(), finished => { token.ThrowIfCancellationRequested(); for (; done < finished; done++) tick(); }, actionIds);
        }, token));

        var table = new Table().AddColumn("residuals").AddColumn("PSNR").AddColumn("SSIM").AddColumn("action").AddColumn("n");
        foreach (var s in scores)
            table.AddRow(s.Method, $"{s.Psnr.Mean:0.00} ± {s.Psnr.Std:0.00}", $"{s.Ssim.Mean:0.000} ± {s.Ssim.Std:0.000}", Action(s), s.Psnr.N.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        var metrics = scores.SelectMany(s => new[] { ($"{s.Method}_psnr", (MetricSummary?)s.Psnr), ($"{s.Method}_ssim", s.Ssim), ($"{s.Method}_action", s.Action) })
            .Where(p => p.Item2 is not null).ToDictionary(p => p.Item1, p => p.Item2!);
        if (markdown is not null)
        {
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"Reconstruction of {count} {data} clips from exact motion vectors and compressed residuals (`{folder}`)");
            text.AppendLine();
            text.AppendLine("| residuals | PSNR | SSIM | action accuracy | n |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var s in scores)
                text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Method} | {s.Psnr.Mean:0.00} | {s.Ssim.Mean:0.000} | {Action(s)} | {s.Psnr.N} |");
            AtomicFile.WriteAllText(markdown.FullName, text.ToString());
        }
        if (json is not null)
            JsonFile.Write(json.FullName, new
            {
                checkpoint = Path.GetFullPath(folder), model = config.ModelType, real = data, count, seconds = watch.Elapsed.TotalSeconds,
                metrics, per_frame = scores.ToDictionary(s => s.Method, s => new { psnr = s.PsnrPerFrame, ssim = s.SsimPerFrame }),
                dct_coefficients_per_block = config.Vae.LatentChannels,
            });
        return ExitCodes.Ok;
    }

    private static string Action(ReconstructionScores s) => s.Action is { } a ? a.Mean.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
