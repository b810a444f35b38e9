using System.CommandLine;
using Decoupled.Bench;
using Decoupled.Cli.Infrastructure;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled bench ...</c>: measured speed, written as JSON and Markdown.</summary>
public static class BenchCommand
{
    /// <summary>Creates the verb with its benchmarks.</summary>
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks: measure on this machine and write JSON + Markdown.");
        command.Subcommands.Add(Decompose());
        command.Subcommands.Add(Train());
        command.Subcommands.Add(BenchSampleCommand.Create());
        command.Subcommands.Add(BenchMosoCommand.Create());
        return command;
    }

    private static Command Decompose()
    {
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per size and search.", DefaultValueFactory = _ => 2.0 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for decompose.json and decompose.md.", DefaultValueFactory = _ => new DirectoryInfo("bench-results") };
        var json = CommonOptions.Json();
        var command = new Command("decompose", "Block-motion search speed (16x16 blocks, +-16 exhaustive) on 768x576 and 128x128 frames against this CPU's SAD-instruction ceiling.")
            { seconds, outDir, json };
        command.SetGuarded(parse =>
        {
            var result = DecomposeBenchmark.Run(new DecomposeBenchmarkOptions { SecondsPerMeasurement = parse.GetValue(seconds) }, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            var dir = parse.GetValue(outDir)!.FullName;
            result.WriteJson(Path.Combine(dir, "decompose.json"));
            result.WriteMarkdown(Path.Combine(dir, "decompose.md"));
            var file = parse.GetValue(json);
            if (file is not null) result.WriteJson(file.FullName);
            AnsiConsole.WriteLine(result.ToMarkdown());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Train()
    {
        var models = new Option<string>("--models") { Description = "Comma-separated models; the first is the reference for ratios.", DefaultValueFactory = _ => "vdm,d-vdm" };
        var frames = new Option<int>("--frames") { Description = "Frames per clip.", DefaultValueFactory = _ => 16 };
        var size = new Option<int>("--size") { Description = "Frame side.", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Clips per training step.", DefaultValueFactory = _ => 1 };
        var width = new Option<int>("--width") { Description = "U-Net base width (same for every model).", DefaultValueFactory = _ => 32 };
        var patch = new Option<int>("--patch") { Description = "VDM, D-VDM: pixel patches folded into the U-Net's channels (as train --patch).", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Timed training steps.", DefaultValueFactory = _ => 3 };
        var sampleSteps = new Option<int>("--sample-steps") { Description = "DDIM steps for the sampling time.", DefaultValueFactory = _ => 50 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for train.json and train.md.", DefaultValueFactory = _ => new DirectoryInfo("bench-results") };
        var json = CommonOptions.Json();
        var command = new Command("train", "Per training step: seconds, GFLOPs, peak memory, parameters; and seconds per sampled video, for models of matched U-Net width.")
            { models, frames, size, batch, width, patch, steps, sampleSteps, outDir, json };
        command.SetGuarded(parse =>
        {
            int patchSize = parse.GetValue(patch);
            if (patchSize < 1) throw new UserInputException($"--patch must be >= 1, got {patchSize}");
            var options = new TrainBenchmarkOptions
            {
                Models = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Frames = parse.GetValue(frames), Size = parse.GetValue(size), Batch = parse.GetValue(batch), Width = parse.GetValue(width),
                Patch = patchSize,
                Steps = parse.GetValue(steps), SampleSteps = parse.GetValue(sampleSteps),
            };
            var result = TrainBenchmark.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            var dir = parse.GetValue(outDir)!.FullName;
            result.WriteJson(Path.Combine(dir, "train.json"));
            result.WriteMarkdown(Path.Combine(dir, "train.md"));
            if (parse.GetValue(json) is { } file) result.WriteJson(file.FullName);
            AnsiConsole.WriteLine(result.ToMarkdown());
            return ExitCodes.Ok;
        });
        return command;
    }
}
