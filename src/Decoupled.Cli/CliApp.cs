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
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(InterpolateCommand.Create());
        root.Subcommands.Add(SwapCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>How long a verb may take to wind down (finish the step, write a checkpoint) after Ctrl+C or SIGTERM.</summary>
    public static TimeSpan TerminationGrace { get; } = TimeSpan.FromMinutes(5);

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
        // System.CommandLine kills the process 2 s after Ctrl+C/SIGTERM by default, which cut off
        // training runs mid-step, before their checkpoint; a step at 64x64 and the checkpoint take longer.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationGrace });
    }
}
