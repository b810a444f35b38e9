using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Runtime;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled info</c>: versions, threads, SIMD support and whether the TorchSharp fix was needed.</summary>
public static class InfoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("info", "Print versions, threads, CPU features and whether the libstdc++ fix was applied.") { json };
        command.SetGuarded(parse =>
        {
            var report = TorchRuntime.Report();
            var ffmpeg = ExternalTools.FfmpegVersion();
            var table = new Table().AddColumn("item").AddColumn("value");
            table.AddRow("decoupled engine", report.EngineVersion);
            table.AddRow(".NET", report.DotNetVersion);
            table.AddRow("TorchSharp", report.TorchSharpVersion);
            table.AddRow("libtorch", report.LibTorchVersion);
            table.AddRow("threads (libtorch / cores)", $"{report.Threads} / {report.ProcessorCount}");
            table.AddRow("libstdc++ fix (GLIBCXX_3.4.32 shim)", report.LibStdCxxFixNeeded switch { true => "needed and applied", false => "not needed", null => "unknown (no build marker)" });
            table.AddRow("oneDNN", report.OneDnnForward ? "forward passes only (DECOUPLED_ONEDNN=forward; wrong for some widths on this CPU)" : "off: reference kernels (oneDNN 3.7.1 gives wrong convolutions on this CPU)");
            table.AddRow("SIMD", Cpu.Features());
            table.AddRow("ffmpeg", ffmpeg ?? "not found (apt-get install ffmpeg)");
            AnsiConsole.Write(table);
            CommonOptions.WriteJsonIfAsked(parse, json, new { runtime = report, simd = Cpu.Features(), ffmpeg });
            return ExitCodes.Ok;
        });
        return command;
    }
}
