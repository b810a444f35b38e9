namespace Decoupled;

/// <summary>
/// A problem with what the user gave (a missing or corrupt file, a wrong size, a mismatched
/// checkpoint, an unknown option). The CLI prints <see cref="Exception.Message"/> as one line on
/// stderr and exits with code 2; no stack trace. The message names the file and the problem.
/// </summary>
public sealed class UserInputException : Exception
{
    /// <summary>Creates the exception with a one-line message that names the file and the problem.</summary>
    public UserInputException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line message and the low-level cause.</summary>
    public UserInputException(string message, Exception inner) : base(message, inner) { }
}
