using System.CommandLine;
using Decoupled.Bench;
using Decoupled.Cli.Infrastructure;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled bench moso</c>: tokens per clip, transformer FLOPs and seconds per predicted clip.</summary>
internal static class BenchMosoCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var frames = new Option<int>("--frames") { Description = "Frames per clip (given + predicted).", DefaultValueFactory = _ => 10 };
        var size = new Option<int>("--size") { Description = "Frame side.", DefaultValueFactory = _ => 64 };
        var context = new Option<int>("--context") { Description = "Given frames.", DefaultValueFactory = _ => 2 };
        var hidden = new Option<int>("--hidden") { Description = "VQ-VAE hidden channels.", DefaultValueFactory = _ => 64 };
        var width = new Option<int>("--width") { Description = "Transformer width.", DefaultValueFactory = _ => 128 };
        var layers = new Option<int>("--layers") { Description = "Blocks per transformer.", DefaultValueFactory = _ => 4 };
        var iterations = new Option<int>("--iterations") { Description = "Motion-token iterations.", DefaultValueFactory = _ => 16 };
        var soIterations = new Option<int>("--so-iterations") { Description = "Scene/object iterations.", DefaultValueFactory = _ => 8 };
        var repeats = new Option<int>("--repeats") { Description = "Timed predictions per model.", DefaultValueFactory = _ => 3 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for moso.json and moso.md.", DefaultValueFactory = _ => new DirectoryInfo("bench-results") };
        var json = CommonOptions.Json();
        var command = new Command("moso", "MOSO against its non-decomposed ablation: tokens per clip, transformer parameters and GFLOPs, seconds per predicted clip.")
            { frames, size, context, hidden, width, layers, iterations, soIterations, repeats, outDir, json };
        command.SetGuarded(parse =>
        {
            var options = new MosoBenchmarkOptions
            {
                Frames = parse.GetValue(frames), Size = parse.GetValue(size), Context = parse.GetValue(context), Hidden = parse.GetValue(hidden),
                Width = parse.GetValue(width), Layers = parse.GetValue(layers), Iterations = parse.GetValue(iterations),
                SceneObjectIterations = parse.GetValue(soIterations), Repeats = parse.GetValue(repeats),
            };
            if (options.Repeats < 1 || options.Iterations < 1 || options.SceneObjectIterations < 1)
                throw new UserInputException("--repeats, --iterations and --so-iterations must be at least 1");
            MosoBenchmarkResult result;
            try { result = MosoBenchmark.Run(options, line => AnsiConsole.MarkupLine(Markup.Escape(line))); }
            catch (ArgumentException e) { throw new UserInputException(e.Message); }
            var dir = parse.GetValue(outDir)!.FullName;
            result.WriteJson(Path.Combine(dir, "moso.json"));
            result.WriteMarkdown(Path.Combine(dir, "moso.md"));
            if (parse.GetValue(json) is { } file) result.WriteJson(file.FullName);
            AnsiConsole.WriteLine(result.ToMarkdown());
            return ExitCodes.Ok;
        });
        return command;
    }
}
