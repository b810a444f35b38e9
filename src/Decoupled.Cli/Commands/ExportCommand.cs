using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Checkpoints;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled export</c>: an inference-only copy of a checkpoint (config + EMA weights, no optimizer state).</summary>
public static class ExportCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run folder (or its checkpoint/ folder).", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder to write config.json + model.safetensors to.", Required = true };
        var noEma = new Option<bool>("--no-ema") { Description = "Export the raw weights instead of their EMA." };
        var command = new Command("export", "Write an inference-only checkpoint (config and EMA weights, a third of the size) that generate, evaluate and demo load.")
            { checkpoint, outDir, noEma };
        command.SetGuarded(parse =>
        {
            var run = parse.GetValue(checkpoint)!;
            var folder = CommonOptions.ResolveCheckpoint(run);
            var destination = parse.GetValue(outDir)!.FullName;
            CheckpointFolder.ExportForInference(folder, destination, useEma: !parse.GetValue(noEma));
            AnsiConsole.MarkupLine($"exported [green]{Markup.Escape(destination)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
