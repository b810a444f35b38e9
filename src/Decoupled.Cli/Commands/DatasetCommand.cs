using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.IO;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled dataset shapes</c>: renders the synthetic shapes set as video files, captions and labels.</summary>
public static class DatasetCommand
{
    /// <summary>Creates the verb with its <c>shapes</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("dataset", "Render built-in datasets to disk.");
        command.Subcommands.Add(Shapes());
        return command;
    }

    private static Command Shapes()
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder (train/ACTION/*.mp4 and test/ACTION/*.mp4, captions, labels.json, labels.csv).", Required = true };
        var count = new Option<int>("--count") { Description = "Number of clips.", DefaultValueFactory = _ => 200 };
        var frames = new Option<int>("--frames") { Description = "Frames per clip.", DefaultValueFactory = _ => 16 };
        var size = new Option<string>("--size") { Description = "Frame size: S or WxH.", DefaultValueFactory = _ => "64" };
        var seed = CommonOptions.Seed();
        var format = new Option<string>("--format") { Description = "Clip file type: mp4 (H.264), mkv (lossless FFV1), gif, or png (a folder of frames per clip).", DefaultValueFactory = _ => "mp4" };
        var json = CommonOptions.Json();
        var command = new Command("shapes", "Synthetic shapes: subjects (shape x colour x background) performing 11 actions, with captions and trajectories.")
            { outDir, count, frames, size, seed, format, json };
        command.SetGuarded(async (parse, token) =>
        {
            var frameSize = FrameSize.Parse(parse.GetValue(size)!);
            var options = new ShapesDatasetOptions
            {
                Count = parse.GetValue(count), Frames = parse.GetValue(frames),
                Width = frameSize.Width, Height = frameSize.Height, Seed = (ulong)parse.GetValue(seed),
            };
            options.Validate();
            var ext = parse.GetValue(format)!.ToLowerInvariant();
            if (ext is not ("mp4" or "mkv" or "gif" or "png"))
                throw new UserInputException($"--format must be mp4, mkv, gif or png, got '{ext}'");
            var root = parse.GetValue(outDir)!.FullName;
            var dataset = new ShapesDataset(options);
            var labels = new ShapesLabel[dataset.Count];
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await ProgressBar.RunAsync($"rendering {dataset.Count} clips", dataset.Count, async tick =>
            {
                await Parallel.ForAsync(0, dataset.Count, new ParallelOptions { CancellationToken = token, MaxDegreeOfParallelism = Environment.ProcessorCount }, (i, ct) =>
                {
                    var sample = dataset[i];
                    var relative = ext == "png" ? sample.RelativePath("png").Replace(".png", "") : sample.RelativePath(ext);
                    var path = Path.Combine(root, relative);
                    VideoWriter.Write(sample.Clip, path, ct);
                    AtomicFile.WriteAllText(Path.ChangeExtension(path, ".txt"), sample.Caption + "\n");
                    labels[i] = sample.ToLabel(relative);
                    tick();
                    return ValueTask.CompletedTask;
                });
            });
            AtomicFile.WriteStream(Path.Combine(root, "labels.json"), s => ShapesLabelWriter.WriteJson(s, labels));
            AtomicFile.WriteAllText(Path.Combine(root, "labels.csv"), ShapesLabelWriter.CsvHeader + "\n" + string.Join("\n", labels.Select(ShapesLabelWriter.CsvRow)) + "\n");
            var summary = new
            {
                dataset = "shapes", @out = root, clips = dataset.Count, frames = options.Frames, width = options.Width, height = options.Height,
                seed = options.Seed, format = ext, train = labels.Count(l => l.Split == "train"), test = labels.Count(l => l.Split == "test"),
                classes = ShapeAction.All.Count, seconds = watch.Elapsed.TotalSeconds,
            };
            AnsiConsole.MarkupLine($"wrote [green]{dataset.Count}[/] clips ({summary.train} train, {summary.test} test) to {Markup.Escape(root)} in {summary.seconds:0.0} s");
            CommonOptions.WriteJsonIfAsked(parse, json, summary);
            return ExitCodes.Ok;
        });
        return command;
    }
}
