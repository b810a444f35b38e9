using System.CommandLine;

namespace Decoupled.Cli.Infrastructure;

/// <summary>
/// Runs a verb so that user errors become one line on stderr and exit code 2 (no stack trace),
/// cancellation exits 130, and anything else is reported as an internal failure (exit 1).
/// </summary>
public static class GuardedAction
{
    /// <summary>Sets <paramref name="action"/> as the command's action, wrapped in the error contract.</summary>
    public static void SetGuarded(this Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, token) =>
        {
            try
            {
                return await action(parse, token);
            }
            catch (UserInputException e)
            {
                Console.Error.WriteLine($"decoupled {command.Name}: {OneLine(e.Message)}");
                return ExitCodes.BadInput;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"decoupled {command.Name}: cancelled");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"decoupled {command.Name}: internal error: {OneLine(e.Message)}");
                if (Environment.GetEnvironmentVariable("DECOUPLED_TRACE") == "1") Console.Error.WriteLine(e);
                else Console.Error.WriteLine("(set DECOUPLED_TRACE=1 for the stack trace)");
                return ExitCodes.Failure;
            }
        });

    /// <summary>Synchronous form of <see cref="SetGuarded(Command, Func{ParseResult, CancellationToken, Task{int}})"/>.</summary>
    public static void SetGuarded(this Command command, Func<ParseResult, int> action) =>
        command.SetGuarded((parse, _) => Task.FromResult(action(parse)));

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
