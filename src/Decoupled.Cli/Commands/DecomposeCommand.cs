using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Cli.Reports;
using Decoupled.Decompositions;
using Decoupled.Video;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled decompose</c>: split a video into content and motion, check the inverse, draw the parts.</summary>
public static class DecomposeCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Video file (anything ffmpeg decodes) or folder of PNG/JPG frames.", Required = true };
        var method = new Option<DecompositionMethod>("--method") { Description = "codec (block motion + residual, ED-VDM), diff (frame differences, D-VDM) or moso (motion/scene/object).", DefaultValueFactory = _ => DecompositionMethod.Codec };
        var block = new Option<int>("--block") { Description = "Codec macroblock side: 16 (default), 8 or 4.", DefaultValueFactory = _ => 16 };
        var search = new Option<int>("--search") { Description = "Codec search range in pixels (+-).", DefaultValueFactory = _ => 16 };
        var fast = new Option<bool>("--fast") { Description = "Codec: diamond search instead of exhaustive." };
        var vectorCost = new Option<int>("--vector-cost") { Description = "Codec: rate term of the search, SAD units per pixel of difference from the left block's vector (0: plain SAD minimum).", DefaultValueFactory = _ => 0 };
        var lower = new Option<double>("--lower") { Description = "MOSO lower threshold on the normalised difference.", DefaultValueFactory = _ => 0.1 };
        var upper = new Option<double>("--upper") { Description = "MOSO upper threshold on the normalised difference.", DefaultValueFactory = _ => 0.9 };
        var frames = new Option<int?>("--frames") { Description = "Number of frames to read (default: all)." };
        var start = new Option<int>("--start") { Description = "First frame to read.", DefaultValueFactory = _ => 0 };
        var stride = new Option<int>("--stride") { Description = "Read every N-th frame.", DefaultValueFactory = _ => 1 };
        var size = new Option<string?>("--size") { Description = "Resize and centre-crop to WxH (or S) before decomposing." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for the pictures (GIFs per part, contact_sheet.png).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("decompose", "Split a video into content and motion with a reversible decomposition, verify the inverse and draw the parts.")
            { input, method, block, search, fast, vectorCost, lower, upper, frames, start, stride, size, outDir, json };
        command.SetGuarded(parse =>
        {
            var path = parse.GetValue(input)!;
            var sizeText = parse.GetValue(size);
            var clip = VideoReader.Read(path, new VideoReadOptions
            {
                Start = parse.GetValue(start), FrameCount = parse.GetValue(frames), Stride = parse.GetValue(stride),
                Size = sizeText is null ? null : FrameSize.Parse(sizeText),
            });
            if (clip.Frames < 2) throw new UserInputException($"{path}: decomposing needs at least 2 frames, got {clip.Frames}");
            var codec = new BlockMotionOptions
            {
                BlockSize = parse.GetValue(block), SearchRange = parse.GetValue(search), VectorCost = parse.GetValue(vectorCost),
                Search = parse.GetValue(fast) ? MotionSearch.Diamond : MotionSearch.Exhaustive,
            };
            var moso = new MotionSceneObjectOptions { LowerThreshold = parse.GetValue(lower), UpperThreshold = parse.GetValue(upper) };
            try
            {
                codec.Validate();
                moso.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UserInputException(e.Message, e);
            }
            var outPath = parse.GetValue(outDir)!.FullName;
            var result = DecompositionReport.Run(clip, parse.GetValue(method), codec, moso, outPath);
            var table = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("method", result.Method);
            table.AddRow("frames", $"{result.Frames} x {result.Width}x{result.Height}");
            table.AddRow("exact inverse", result.Exact ? "[green]yes[/]" : "[red]NO[/]");
            table.AddRow("mean |residual|", $"{result.MeanAbsResidual:0.###}");
            table.AddRow("mean |frame difference|", $"{result.MeanAbsFrameDifference:0.###}");
            table.AddRow("seconds", $"{result.Seconds:0.###}");
            table.AddRow("frames per second", $"{result.FramesPerSecond:0.#}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"pictures in {Markup.Escape(outPath)}");
            CommonOptions.WriteJsonIfAsked(parse, json, result with { Outputs = result.Outputs.ToDictionary(kv => kv.Key, kv => Path.Combine(outPath, kv.Value)) });
            return result.Exact ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
