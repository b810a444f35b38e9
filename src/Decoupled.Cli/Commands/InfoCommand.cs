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
            table.AddRow("oneDNN policy (DECOUPLED_ONEDNN)", report.Policy switch
            {
                OneDnnPolicy.Auto => "auto: used where a self-check against the reference kernels passes (oneDNN 3.7.1 gets some widths wrong on this CPU)",
                OneDnnPolicy.Off => "off: reference kernels only",
                OneDnnPolicy.Forward => "forward: forward passes, unchecked",
                _ => "full: forward and backward, unchecked",
            });
            table.AddRow("SIMD", Cpu.Features());
            table.AddRow("ffmpeg", ffmpeg ?? "not found (apt-get install ffmpeg)");
            AnsiConsole.Write(table);
            CommonOptions.WriteJsonIfAsked(parse, json, new { runtime = report, simd = Cpu.Features(), ffmpeg });
            return ExitCodes.Ok;
        });
        return command;
    }
}
