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
}
