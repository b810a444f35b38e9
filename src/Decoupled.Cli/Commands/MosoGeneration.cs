using System.CommandLine;
using System.Diagnostics;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Moso;
using Decoupled.Video;
using Spectre.Console;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary><c>generate</c> for MOSO-Transformer checkpoints: unconditional clips.</summary>
internal static class MosoGeneration
{
    /// <summary>Whether <paramref name="folder"/> holds a MOSO-Transformer.</summary>
    public static bool Handles(string folder) => CheckpointFolder.ReadModelType(folder) == MosoTransformerConfig.Type;

    /// <summary>Writes <c>--count</c> unconditional clips.</summary>
    public static int Run(ParseResult parse, string folder, MosoSamplingOptions sampling, Option<int> count, Option<string> output, Option<int> seed, Option<FileInfo?> json)
    {
        var model = sampling.Load(parse, folder);
        int n = parse.GetValue(count);
        if (n is < 1 or > 256) throw new UserInputException($"--count must be 1..256, got {n}");
        var watch = Stopwatch.StartNew();
        using var generator = new torch.Generator((ulong)parse.GetValue(seed));
        var clips = model.Sampler().Generate(n, sampling.From(parse), generator);
        double seconds = watch.Elapsed.TotalSeconds;
        var outPath = parse.GetValue(output)!;
        var outputs = new List<string>();
        for (int i = 0; i < n; i++)
        {
            var path = CommonOptions.NumberedOutput(outPath, i, n);
            VideoWriter.Write(clips[i], path);
            outputs.Add(Path.GetFullPath(path));
        }
        AnsiConsole.MarkupLine($"wrote {n} unconditional MOSO video(s) in {seconds:0.0} s");
        CommonOptions.WriteJsonIfAsked(parse, json, new { model = MosoTransformerConfig.Type, outputs, seconds, seconds_per_video = seconds / n });
        return ExitCodes.Ok;
    }
}
