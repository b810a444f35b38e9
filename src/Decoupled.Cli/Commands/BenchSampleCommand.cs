using System.CommandLine;
using Decoupled.Bench;
using Decoupled.Cli.Infrastructure;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled bench sample</c>: VideoFusion against VDM per denoising step (Table 4).</summary>
internal static class BenchSampleCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Comma-separated models (vdm, videofusion); the first is the reference for ratios.", DefaultValueFactory = _ => "vdm,videofusion" };
        var frames = new Option<int>("--frames") { Description = "Frames per clip.", DefaultValueFactory = _ => 16 };
        var size = new Option<int>("--size") { Description = "Frame side.", DefaultValueFactory = _ => 64 };
        var width = new Option<int>("--width") { Description = "Base width of the base U-Net (VDM is built from it).", DefaultValueFactory = _ => 32 };
        var residualWidth = new Option<int?>("--residual-width") { Description = "Base width of VideoFusion's residual U-Net (default: half of --width)." };
        var multipliers = new Option<string>("--mults") { Description = "U-Net width multipliers per level, comma separated.", DefaultValueFactory = _ => "1,2,4" };
        var steps = new Option<int>("--steps") { Description = "Timed DDIM steps.", DefaultValueFactory = _ => 10 };
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale (1: one pass per step).", DefaultValueFactory = _ => 1.0 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for sample.json and sample.md.", DefaultValueFactory = _ => new DirectoryInfo("bench-results") };
        var json = CommonOptions.Json();
        var command = new Command("sample", "Seconds per denoising step, peak memory and parameters of VideoFusion against a VDM built from the same base U-Net (the paper's Table 4).")
            { models, frames, size, width, residualWidth, multipliers, steps, guidance, outDir, json };
        command.SetGuarded(parse =>
        {
            var options = new SampleBenchmarkOptions
            {
                Models = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Frames = parse.GetValue(frames), Size = parse.GetValue(size), Width = parse.GetValue(width), ResidualWidth = parse.GetValue(residualWidth),
                Multipliers = TrainCommand.ParseInts(parse.GetValue(multipliers)!, "--mults"), Steps = parse.GetValue(steps), Guidance = parse.GetValue(guidance),
            };
            var result = SampleBenchmark.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            var dir = parse.GetValue(outDir)!.FullName;
            result.WriteJson(Path.Combine(dir, "sample.json"));
            result.WriteMarkdown(Path.Combine(dir, "sample.md"));
            if (parse.GetValue(json) is { } file) result.WriteJson(file.FullName);
            AnsiConsole.WriteLine(result.ToMarkdown());
            return ExitCodes.Ok;
        });
        return command;
    }
}
