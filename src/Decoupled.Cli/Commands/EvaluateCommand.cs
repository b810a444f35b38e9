using System.CommandLine;
using System.Globalization;
using System.Text;
using Decoupled.Cli.Infrastructure;
using Decoupled.Generators.Diffusion;
using Decoupled.IO;
using Decoupled.Metrics;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Video;
using Decoupled.Video.Datasets;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary>
/// <c>decoupled evaluate</c>: generates a video for each held-out clip's first frame and condition
/// with a checkpoint and scores it (action accuracy, PSNR, SSIM, first-frame PSNR); for an ED-VDM
/// residual autoencoder, scores its reconstruction upper bound against the DCT baseline instead.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run folder (or its checkpoint/ folder) to generate with.", Required = true };
        var real = new Option<string>("--real") { Description = "shapes (held-out subjects, balanced over actions) or a folder dataset (its test split).", DefaultValueFactory = _ => "shapes" };
        var metrics = new Option<string>("--metrics") { Description = $"Comma-separated: {string.Join(",", GenerationEvaluation.KnownMetrics)} (action needs shapes).", DefaultValueFactory = _ => "action,psnr,ssim,first_frame_psnr" };
        var count = new Option<int>("--count") { Description = "Clips to evaluate.", DefaultValueFactory = _ => 44 };
        var steps = new Option<int>("--steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 50 };
        var sampler = new Option<SamplerKind>("--sampler") { Description = "ddim or ddpm.", DefaultValueFactory = _ => SamplerKind.Ddim };
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale w (1: none).", DefaultValueFactory = _ => 3.0 };
        var batch = new Option<int>("--batch") { Description = "Videos generated at once.", DefaultValueFactory = _ => 8 };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw weights instead of their EMA." };
        var videos = new Option<DirectoryInfo?>("--videos") { Description = "Also write the generated videos (GIF) and a real/generated contact sheet here." };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Write the table as Markdown to this file." };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Generate from held-out first frames and conditions with a checkpoint and score the videos.")
            { checkpoint, real, metrics, count, steps, sampler, guidance, batch, noEma, videos, markdown, seed, json };
        command.SetGuarded(async (parse, token) =>
        {
            var run = parse.GetValue(checkpoint)!;
            var folder = CommonOptions.ResolveCheckpoint(run);
            if (CheckpointFolder.ReadModelType(folder) == ResidualVaeTrainingConfig.Type)
                return await EvaluateReconstruction.RunAsync(folder, parse.GetValue(real)!, parse.GetValue(count), parse.GetValue(seed),
                    parse.GetValue(json), parse.GetValue(markdown), token);
            var model = VideoDiffusionModel.Load(folder, preferEma: !parse.GetValue(noEma));
            var config = model.Config;
            var names = ParseMetrics(parse.GetValue(metrics)!);
            string data = parse.GetValue(real)!;
            int n = parse.GetValue(count);
            if (n is < 1 or > 100_000) throw new UserInputException($"--count must be 1..100000, got {n}");
            if (names.Contains("action") && data != "shapes") throw new UserInputException("--metrics action: the tracker knows only the shapes dataset (--real shapes)");
            var items = EvaluationClips.Load(data, n, config.Frames, config.Height, config.Width, parse.GetValue(seed));
            int batchSize = parse.GetValue(batch);
            if (batchSize < 1) throw new UserInputException($"--batch must be at least 1, got {batchSize}");

            var generate = VideoDiffusionGenerator.For(model, parse.GetValue(steps), parse.GetValue(sampler), parse.GetValue(guidance), token);
            AnsiConsole.MarkupLine($"evaluating [bold]{config.ModelType}[/] ({Markup.Escape(folder)}) on {n} {Markup.Escape(data)} clips, {parse.GetValue(steps)} {parse.GetValue(sampler).ToString().ToLowerInvariant()} steps, guidance {parse.GetValue(guidance)}");
            GenerationEvaluationReport report = null!;
            await ProgressBar.RunAsync("generating", n, tick => Task.Run(() =>
            {
                int done = 0;
                report = GenerationEvaluation.Run(items, generate, names, batchSize, parse.GetValue(seed), (finished, _) =>
                {
                    for (; done < finished; done++) tick();
                });
            }, token));

            var table = new Table().AddColumn("metric").AddColumn("mean").AddColumn("std").AddColumn("n");
            foreach (var (name, m) in report.Metrics)
                table.AddRow(name, Format(m.Mean), Format(m.Std), m.N.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{report.Seconds:0.0} s ({report.Seconds / n:0.00} s per video)");
            if (parse.GetValue(videos) is { } dir) WriteVideos(dir.FullName, items, report.Generated, config.ClassNames);
            if (parse.GetValue(markdown) is { } md) AtomicFile.WriteAllText(md.FullName, Markdown(run, data, n, report));
            CommonOptions.WriteJsonIfAsked(parse, json, new
            {
                checkpoint = Path.GetFullPath(folder), model = config.ModelType, real = data, count = n,
                steps = parse.GetValue(steps), sampler = parse.GetValue(sampler).ToString().ToLowerInvariant(), guidance = parse.GetValue(guidance),
                ema = !parse.GetValue(noEma) && CheckpointFolder.HasEma(folder), seed = parse.GetValue(seed),
                metrics = report.Metrics, seconds = report.Seconds, seconds_per_video = report.Seconds / n,
                per_action = report.Action is null ? null : PerAction(items, report, config.ClassNames),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IReadOnlyList<string> ParseMetrics(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToList();
        if (names.Count == 0) throw new UserInputException("--metrics: name at least one metric");
        foreach (var name in names)
            if (!GenerationEvaluation.KnownMetrics.Contains(name))
                throw new UserInputException($"--metrics: unknown metric '{name}' (known: {string.Join(", ", GenerationEvaluation.KnownMetrics)}; fvd, kvd, fid, is and lpips arrive with the evaluation suite)");
        return names;
    }

    private static object PerAction(IReadOnlyList<LabeledClip> items, GenerationEvaluationReport report, IReadOnlyList<string> classNames) =>
        classNames.Select((name, id) =>
        {
            var indices = Enumerable.Range(0, items.Count).Where(i => items[i].ClassId == id).ToList();
            int correct = indices.Count(i => report.Action!.Predictions[i].ActionId == id);
            return new { action = name, clips = indices.Count, correct };
        }).Where(a => a.clips > 0).ToList();

    private static void WriteVideos(string dir, IReadOnlyList<LabeledClip> items, IReadOnlyList<VideoClip> generated, IReadOnlyList<string> classNames)
    {
        Directory.CreateDirectory(dir);
        var rows = new List<VideoClip>();
        var labels = new List<string>();
        for (int i = 0; i < items.Count; i++)
        {
            VideoWriter.WriteGif(generated[i], Path.Combine(dir, $"{i:D4}_{classNames.ElementAtOrDefault(items[i].ClassId) ?? "clip"}.gif"));
            if (i < 24)
            {
                rows.Add(items[i].Clip);
                rows.Add(generated[i]);
                labels.Add("real: " + items[i].Caption);
                labels.Add("generated");
            }
        }
        ContactSheet.Write(Path.Combine(dir, "contact_sheet.png"), rows, new ContactSheetOptions { Labels = labels });
    }

    private static string Markdown(string run, string data, int count, GenerationEvaluationReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Evaluation of `{run}` on {count} {data} clips ({report.Seconds:0} s)");
        text.AppendLine();
        text.AppendLine("| metric | mean | std | n |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (name, m) in report.Metrics)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format(m.Mean)} | {Format(m.Std)} | {m.N} |");
        return text.ToString();
    }

    private static string Format(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
