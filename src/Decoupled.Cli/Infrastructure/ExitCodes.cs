namespace Decoupled.Cli.Infrastructure;

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Something failed that is not the user's input.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: missing or corrupt file, wrong size, unknown option.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
