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
using Decoupled.Pipelines.Reference;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Video;
using Decoupled.Video.Datasets;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary>
/// <c>decoupled evaluate</c>: scores videos against real clips. The videos are generated from each
/// held-out clip's first frame and condition with a checkpoint (<c>--checkpoint</c>), or read from a
/// folder (<c>--fake</c>, paired with the real clips in sorted order for the paired metrics). Metrics:
/// action accuracy, PSNR, SSIM, first-frame PSNR, LPIPS, FVD, KVD, cFVD, sFVD, FID and IS, and on
/// shapes the reference classifier's Frechet distance and accuracy; the networks LPIPS, FVD/KVD and
/// FID/IS need come from files the user supplies, the classifier from a run of
/// <c>train --model shapes-classifier</c>. For an ED-VDM residual autoencoder checkpoint it scores the
/// reconstruction upper bound against the DCT baseline instead.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Clips scored by default for the distribution metrics (StyleGAN-V's fvd2048_16f protocol).</summary>
    public const int DistributionClips = 2048;

    /// <summary>Clips scored by default otherwise (4 per shapes action).</summary>
    public const int PairedClips = 44;

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Run folder (or its checkpoint/ folder) to generate with (or give --fake)." };
        var fake = new Option<DirectoryInfo?>("--fake") { Description = "Folder of generated videos or frame folders to score instead of generating (paired with the real clips as --pair-by says)." };
        var pairBy = new Option<string>("--pair-by") { Description = "How --fake clips pair with real ones for PSNR/SSIM/LPIPS: name (a fake walk/p01.gif against the real folder's walk/p01.*, from its first frame), order (natural name order against the evaluation set, as evaluate --videos writes them), or auto (name when --real is a folder and every name matches, else order).", DefaultValueFactory = _ => "auto" }.AcceptOnlyFromAmong("auto", "name", "order");
        var real = new Option<string>("--real") { Description = "shapes (held-out subjects, balanced over actions) or a folder dataset (random windows of its test split).", DefaultValueFactory = _ => "shapes" };
        var metrics = new Option<string>("--metrics") { Description = $"Comma-separated: {string.Join(",", EvaluateMetricNames.Known)} (action needs shapes; lpips needs --lpips, fvd/kvd/cfvd/sfvd --i3d, fid/is --inception, fd_shapes/classifier_accuracy --classifier and shapes).", DefaultValueFactory = _ => "action,psnr,ssim,first_frame_psnr" };
        var count = new Option<int?>("--count") { Description = $"Clips to evaluate (default {DistributionClips} with fvd/kvd/fid/is, else {PairedClips} generated or every --fake clip)." };
        var frames = new Option<int>("--frames") { Description = "Frames per clip read from --fake (and the real clips); checkpoints use their own length.", DefaultValueFactory = _ => 16 };
        var lpips = new Option<FileInfo?>("--lpips") { Description = "LPIPS weights (.safetensors of lpips.LPIPS(net='alex'|'vgg')), for lpips." };
        var i3d = new Option<FileInfo?>("--i3d") { Description = "StyleGAN-V's i3d_torchscript.pt, for fvd, kvd, cfvd, sfvd." };
        var inception = new Option<FileInfo?>("--inception") { Description = "StyleGAN2-ADA's inception-2015-12-05.pt, for fid and is." };
        var classifier = new Option<string?>("--classifier") { Description = "Run folder of the reference classifier (train --model shapes-classifier, same clip size), for fd_shapes and classifier_accuracy." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 50 };
        var sampler = CommonOptions.Sampler(SamplerKind.Ddim);
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale w (1: none).", DefaultValueFactory = _ => 3.0 };
        var deadZone = DeadZoneOption.Create();
        var batch = new Option<int>("--batch") { Description = "Videos generated or scored at once.", DefaultValueFactory = _ => 8 };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw weights instead of their EMA." };
        var videos = new Option<DirectoryInfo?>("--videos") { Description = "Also write the generated videos (GIF) and a real/generated contact sheet here." };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Write the table as Markdown to this file." };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Score generated videos (from a checkpoint or a folder) against real clips: action, PSNR, SSIM, LPIPS, FVD, KVD, cFVD, sFVD, FID, IS.")
            { checkpoint, fake, pairBy, real, metrics, count, frames, lpips, i3d, inception, classifier, steps, sampler, guidance, deadZone, batch, noEma, videos, markdown, seed, json };
        command.SetGuarded(async (parse, token) =>
        {
            var run = parse.GetValue(checkpoint);
            var fakeDir = parse.GetValue(fake);
            if ((run is null) == (fakeDir is null)) throw new UserInputException("evaluate: give exactly one of --checkpoint RUN (generate) and --fake DIR (score existing videos)");
            string data = parse.GetValue(real)!;
            int? n = parse.GetValue(count);
            if (n is < 1 or > 100_000) throw new UserInputException($"--count must be 1..100000, got {n}");
            int batchSize = parse.GetValue(batch);
            if (batchSize < 1) throw new UserInputException($"--batch must be at least 1, got {batchSize}");
            int seedValue = parse.GetValue(seed);

            string? folder = run is null ? null : CommonOptions.ResolveCheckpoint(run);
            if (folder is not null && CheckpointFolder.ReadModelType(folder) == ResidualVaeTrainingConfig.Type)
                return await EvaluateReconstruction.RunAsync(folder, data, n ?? PairedClips, seedValue, parse.GetValue(json), parse.GetValue(markdown), token);
            if (folder is not null && CheckpointFolder.ReadModelType(folder) == Decoupled.Pipelines.Moso.MosoVqVaeTrainingConfig.Type)
                return await EvaluateMosoReconstruction.RunAsync(folder, data, n ?? PairedClips, seedValue, parse.GetValue(json), parse.GetValue(markdown), token);

            var names = EvaluateMetricNames.Parse(parse.GetValue(metrics)!);
            if (names.Contains("action") && data != "shapes") throw new UserInputException("--metrics action: the tracker knows only the shapes dataset (--real shapes)");
            EvaluateMetricNames.RequireWeights(names, parse.GetValue(lpips), parse.GetValue(i3d), parse.GetValue(inception), parse.GetValue(classifier));
            if (EvaluateMetricNames.AnyClassifier(names) && data != "shapes")
                throw new UserInputException($"--metrics {string.Join(",", names.Where(ClassifierEvaluation.KnownMetrics.Contains))}: the reference classifier knows only the shapes dataset (--real shapes)");
            // Resolved and read now, so a wrong run or clip size fails before anything slow starts.
            string? classifierFolder = EvaluateMetricNames.AnyClassifier(names) ? CommonOptions.ResolveCheckpoint(parse.GetValue(classifier)!, "--classifier") : null;
            var classifierConfig = classifierFolder is null ? null
                : CheckpointFolder.LoadConfig<ShapesClassifierTrainingConfig>(classifierFolder, ShapesClassifierTrainingConfig.Type).Classifier;
            var generationNames = names.Where(GenerationEvaluation.KnownMetrics.Contains).ToList();
            int defaultCount = EvaluateMetricNames.AnyDistribution(names) ? DistributionClips : PairedClips;
            var watch = System.Diagnostics.Stopwatch.StartNew();

            // Both routes end with: the real set, the generated clips, and which real item each one pairs with.
            IReadOnlyList<LabeledClip> items, pairedReal;
            IReadOnlyList<VideoClip> generated, pairedFake;
            IReadOnlyList<LabeledClip>? conditions;
            GenerationEvaluationReport? generation = null;
            EvaluationModel? config = null;
            if (folder is not null)
            {
                config = EvaluationModel.Load(folder, !parse.GetValue(noEma), parse.GetValue(deadZone), parse.GetValue(steps), parse.GetValue(sampler), parse.GetValue(guidance), token);
                if (classifierConfig is not null) ClassifierEvaluation.RequireSize(classifierConfig, config.Frames, config.Height, config.Width);
                int clips = n ?? defaultCount;
                items = EvaluationClips.Load(data, clips, config.Frames, config.Height, config.Width, seedValue);
                var generate = config.Generate;
                AnsiConsole.MarkupLine($"evaluating [bold]{config.ModelType}[/] ({Markup.Escape(folder)}) on {clips} {Markup.Escape(data)} clips, {parse.GetValue(steps)} {parse.GetValue(sampler).Name()} steps, guidance {parse.GetValue(guidance)}");
                generation = await GenerateAsync(items, generate, generationNames, batchSize, seedValue, token);
                generated = pairedFake = generation.Generated;
                pairedReal = conditions = items;
            }
            else
            {
                var named = FakeClipFolder.Load(fakeDir!.FullName, parse.GetValue(frames), limit: n, cancellation: token);
                var fakes = named.Select(c => c.Clip).ToList();
                var first = fakes[0];
                if (classifierConfig is not null) ClassifierEvaluation.RequireSize(classifierConfig, first.Frames, first.Height, first.Width);
                var pairing = parse.GetValue(pairBy)!;
                IReadOnlyList<LabeledClip>? byName = null;
                if (pairing != "order" && data != "shapes" && Directory.Exists(data))
                {
                    byName = NamePairing.TryPair(data, named, out var unmatched, token);
                    if (byName is null && pairing == "name")
                        throw new UserInputException($"--pair-by name: the generated clip '{unmatched}' matches no real clip of {data} (by relative path or a unique file name)");
                }
                else if (pairing == "name")
                    throw new UserInputException("--pair-by name needs --real to be a folder dataset");
                if (byName is not null)
                {
                    // The real clips are the named sources; distribution metrics compare against them too.
                    items = pairedReal = conditions = byName;
                    generated = pairedFake = fakes;
                    AnsiConsole.MarkupLine("pairing the generated clips with real clips by name");
                }
                else
                {
                    items = EvaluationClips.Load(data, n ?? (defaultCount == DistributionClips ? DistributionClips : fakes.Count), first.Frames, first.Height, first.Width, seedValue);
                    int pairCount = Math.Min(items.Count, fakes.Count);
                    pairedReal = items.Take(pairCount).ToList();
                    generated = fakes;
                    pairedFake = fakes.Take(pairCount).ToList();
                    // Clip i of the folder is taken to come from real item i (as `evaluate --videos` writes them), which is what cFVD / sFVD group by.
                    conditions = fakes.Count <= items.Count ? pairedReal : null;
                }
                int pairs = pairedReal.Count;
                AnsiConsole.MarkupLine($"scoring {fakes.Count} clips from {Markup.Escape(fakeDir.FullName)} ({first.Frames}x{first.Height}x{first.Width}) against {items.Count} {Markup.Escape(data)} clips");
                if (generationNames.Count > 0)
                {
                    var byItem = new Dictionary<LabeledClip, VideoClip>(ReferenceEqualityComparer.Instance);
                    for (int i = 0; i < pairs; i++) byItem[pairedReal[i]] = pairedFake[i];
                    generation = GenerationEvaluation.Run(pairedReal, (chunk, _) => chunk.Select(c => byItem[c]).ToArray(), generationNames, batchSize, seedValue);
                }
            }

            var scores = new Dictionary<string, MetricSummary>(generation?.Metrics ?? new Dictionary<string, MetricSummary>());
            var distribution = await EvaluateScoring.RunAsync(names, items, pairedReal, pairedFake, generated, conditions,
                parse.GetValue(lpips), parse.GetValue(i3d), parse.GetValue(inception), classifierFolder, batchSize, seedValue, scores, token);
            double seconds = watch.Elapsed.TotalSeconds;

            var table = new Table().AddColumn("metric").AddColumn("mean").AddColumn("std").AddColumn("n");
            foreach (var (name, m) in scores)
                table.AddRow(name, Format(m.Mean), Format(m.Std), m.N.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{seconds:0.0} s ({seconds / generated.Count:0.00} s per video)");
            string source = run ?? fakeDir!.FullName;
            if (parse.GetValue(videos) is { } dir && folder is not null) WriteVideos(dir.FullName, items, generated, config!.ClassNames);
            if (parse.GetValue(markdown) is { } md) AtomicFile.WriteAllText(md.FullName, Markdown(source, data, items.Count, scores, seconds));
            CommonOptions.WriteJsonIfAsked(parse, json, new
            {
                checkpoint = folder is null ? null : Path.GetFullPath(folder), fake = fakeDir?.FullName, model = config?.ModelType, real = data,
                count = items.Count, generated = generated.Count, frames = generated[0].Frames, height = generated[0].Height, width = generated[0].Width,
                steps = folder is null ? (int?)null : parse.GetValue(steps), sampler = folder is null ? null : parse.GetValue(sampler).Name(),
                guidance = folder is null ? (double?)null : parse.GetValue(guidance),
                dead_zone = config?.ModelType is "d-vdm" or "ed-vdm" ? parse.GetValue(deadZone) : (double?)null,
                ema = folder is not null && !parse.GetValue(noEma) && CheckpointFolder.HasEma(folder), seed = seedValue,
                weights = new { lpips = parse.GetValue(lpips)?.FullName, i3d = parse.GetValue(i3d)?.FullName, inception = parse.GetValue(inception)?.FullName,
                    classifier = classifierFolder is null ? null : Path.GetFullPath(classifierFolder) },
                metrics = scores, seconds, seconds_per_video = seconds / generated.Count,
                per_action = generation?.Action is null ? null : PerAction(pairedReal, generation, config?.ClassNames ?? Decoupled.Video.Datasets.Shapes.ShapeAction.All.Select(a => a.Name).ToList()),
                cfvd_groups = Groups(distribution?.ClassGroups), sfvd_groups = Groups(distribution?.SubjectGroups),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<GenerationEvaluationReport> GenerateAsync(IReadOnlyList<LabeledClip> items, ClipGenerator generate, IReadOnlyList<string> names,
        int batchSize, int seed, CancellationToken token)
    {
        GenerationEvaluationReport report = null!;
        await ProgressBar.RunAsync("generating", items.Count, tick => Task.Run(() =>
        {
            int done = 0;
            report = GenerationEvaluation.Run(items, generate, names, batchSize, seed, (finished, _) =>
            {
                for (; done < finished; done++) tick();
            });
        }, token));
        return report;
    }

    private static object? Groups(Metrics.Distribution.GroupedFrechetResult<int>? result) =>
        result is null ? null : new
        {
            groups = result.Groups.Select(g => new { key = g.Key, distance = g.Distance, real = g.RealCount, fake = g.FakeCount }).ToList(),
            skipped = result.Skipped,
        };

    private static object PerAction(IReadOnlyList<LabeledClip> items, GenerationEvaluationReport report, IReadOnlyList<string> classNames) =>
        classNames.Select((name, id) =>
        {
            var indices = Enumerable.Range(0, items.Count).Where(i => items[i].ClassId == id).ToList();
            var seen = indices.Select(i => report.Action!.Predictions[i]).ToList();
            int correct = seen.Count(p => p.ActionId == id);
            // The confusion row: what the tracker saw instead, so a failure's kind is visible.
            var predicted = seen.GroupBy(p => p.Action?.Name ?? "none")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count());
            return new { action = name, clips = indices.Count, correct, predicted };
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

    private static string Markdown(string source, string data, int count, IReadOnlyDictionary<string, MetricSummary> metrics, double seconds)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Evaluation of `{source}` on {count} {data} clips ({seconds:0} s)");
        text.AppendLine();
        text.AppendLine("| metric | mean | std | n |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (name, m) in metrics)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format(m.Mean)} | {Format(m.Std)} | {m.N} |");
        return text.ToString();
    }

    private static string Format(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
