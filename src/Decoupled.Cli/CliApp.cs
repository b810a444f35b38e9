using System.CommandLine;
using Decoupled.Cli.Commands;
using Decoupled.Cli.Infrastructure;

namespace Decoupled.Cli;

/// <summary>The <c>decoupled</c> command line: verbs, parsing, and the exit-code contract (0 ok, 2 bad input, 1 failure).</summary>
public static class CliApp
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Decoupled: video generation and prediction that splits video into content and motion.");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(DecomposeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; user errors print one line on stderr and return 2.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"decoupled: {parse.Errors[0].Message} (see --help)");
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync();
    }
}
