using System.CommandLine;
using System.Globalization;
using Decoupled.Cli.Infrastructure;
using Decoupled.Cli.Reports;
using Decoupled.Decompositions;
using Decoupled.Generators.Diffusion;
using Decoupled.IO;
using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary>
/// <c>decoupled demo</c>: renders synthetic clips (and any videos given), splits each into content
/// and motion with the three decompositions, checks every inverse is exact, then turns held-out
/// first frames and action labels into videos with a trained checkpoint, and writes an HTML page.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder (index.html, GIFs, contact sheets).", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var count = new Option<int>("--count") { Description = "Synthetic clips to render (one action each).", DefaultValueFactory = _ => 4 };
        var frames = new Option<int>("--frames") { Description = "Frames per clip.", DefaultValueFactory = _ => 16 };
        var size = new Option<int>("--size") { Description = "Frame side in pixels.", DefaultValueFactory = _ => 128 };
        var inputs = new Option<string[]>("--input") { Description = "Also decompose these videos (repeatable).", AllowMultipleArgumentsPerToken = true };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Label-conditioned shapes checkpoint for the image-to-video section (default: the shipped ED-VDM, models/ed-vdm-shapes64)." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps of the image-to-video section (0: skip the section).", DefaultValueFactory = _ => 50 };
        var sampler = CommonOptions.Sampler(SamplerKind.Ddpm, "Sampler of the image-to-video section: ddpm (ancestral; the shipped model's measured setting) or ddim.");
        var seed = CommonOptions.Seed(7);
        var json = CommonOptions.Json();
        var command = new Command("demo", "Render synthetic clips, decompose them (diff, codec, moso), verify the inverses, generate videos from first frames and labels, and write an HTML page.")
            { outDir, count, frames, size, inputs, checkpoint, steps, sampler, seed, json };
        command.SetGuarded(async (parse, token) =>
        {
            var root = parse.GetValue(outDir)!.FullName;
            int n = parse.GetValue(count);
            if (n is < 1 or > 64) throw new UserInputException($"--count must be 1..64, got {n}");
            var options = new ShapesDatasetOptions
            {
                Count = Math.Max(n * 8, 64), Frames = parse.GetValue(frames), Width = parse.GetValue(size), Height = parse.GetValue(size),
                Seed = (ulong)parse.GetValue(seed),
            };
            options.Validate();
            var clips = PickClips(new ShapesDataset(options), n);
            foreach (var path in parse.GetValue(inputs) ?? [])
                clips.Add((Path.GetFileName(path), null, VideoReader.Read(path, new VideoReadOptions { FrameCount = Math.Min(options.Frames, VideoReader.Probe(path).FrameCount), Size = new FrameSize(options.Width, options.Height) }, token)));

            var page = new HtmlPage("Decoupled demo: content and motion");
            page.Paragraph("Each clip is split three ways: frame differences (D-VDM), H.264-style block motion vectors plus residuals (ED-VDM), " +
                           "and motion/scene/object videos (MOSO). Every inverse is checked to reproduce the input bit for bit.");
            var results = new List<object>();
            var methods = Enum.GetValues<DecompositionMethod>();
            await ProgressBar.RunAsync("decomposing", clips.Count * methods.Length, tick =>
            {
                for (int i = 0; i < clips.Count; i++)
                {
                    token.ThrowIfCancellationRequested();
                    var (title, intended, clip) = clips[i];
                    var predicted = ActionClassifier.Classify(clip);
                    string predictedName = predicted.ActionId >= 0 ? ShapeAction.FromId(predicted.ActionId).Name : "none";
                    page.Heading(title);
                    page.Paragraph($"{clip.Frames} frames, {clip.Width}x{clip.Height}. Tracker says: {predictedName} (confidence {predicted.Confidence:0.00})" +
                                   (intended is null ? "" : $"; rendered action: {intended.Name}."));
                    var rows = new List<IReadOnlyList<string>>();
                    foreach (var method in methods)
                    {
                        var r = DecompositionReport.Run(clip, method, new BlockMotionOptions(), new MotionSceneObjectOptions(), root, $"clip{i}_{method.ToString().ToLowerInvariant()}_");
                        results.Add(new { clip = title, intended_action = intended?.Name, predicted_action = predictedName, result = r });
                        rows.Add([r.Method, r.Exact ? "yes" : "NO", F(r.MeanAbsResidual), F(r.MeanAbsFrameDifference), F(r.FramesPerSecond)]);
                        page.Figures(r.Outputs.Where(o => o.Key != "contact_sheet").Select(o => (o.Value, $"{r.Method}: {o.Key.Replace('_', ' ')}")));
                        tick();
                    }
                    page.Table(["method", "exact inverse", "mean |residual|", "mean |frame diff|", "frames/s"], rows);
                }
                return Task.CompletedTask;
            });
            object? generation = null;
            int sampleSteps = parse.GetValue(steps);
            if (sampleSteps > 0)
            {
                var model = parse.GetValue(checkpoint) ?? GenerationDemo.ShippedCheckpoint;
                await ProgressBar.RunAsync("generating videos", ShapeAction.All.Count, tick => Task.Run(() =>
                    generation = GenerationDemo.Run(page, root, model, sampleSteps, parse.GetValue(sampler), guidance: 3.0, parse.GetValue(seed), tick), token));
            }
            AtomicFile.WriteAllText(Path.Combine(root, "index.html"), page.Render());
            var summary = new { @out = root, page = Path.Combine(root, "index.html"), clips = clips.Count, results, generation };
            JsonFile.Write(Path.Combine(root, "demo.json"), summary);
            CommonOptions.WriteJsonIfAsked(parse, json, summary);
            AnsiConsole.MarkupLine($"demo written: [green]{Markup.Escape(Path.Combine(root, "index.html"))}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The first clips of distinct actions from held-out subjects, so the page shows variety.</summary>
    private static List<(string Title, ShapeAction? Action, VideoClip Clip)> PickClips(ShapesDataset dataset, int n)
    {
        var picked = new List<(string, ShapeAction?, VideoClip)>();
        var seen = new HashSet<int>();
        foreach (var sample in dataset.Samples(ShapesSplit.Test).Concat(dataset.Samples(ShapesSplit.Train)))
        {
            if (picked.Count == n) break;
            if (!seen.Add(sample.ClassId) && seen.Count < ShapeAction.All.Count) continue;
            picked.Add((sample.Caption, sample.Action, sample.Clip));
        }
        return picked;
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
