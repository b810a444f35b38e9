using System.ComponentModel;
using System.Diagnostics;

namespace Decoupled.Video.Ffmpeg;

/// <summary>
/// One run of ffmpeg or ffprobe: stdin/stdout as raw streams, stderr drained on a background
/// thread (so a chatty tool never blocks on a full pipe while we read stdout), and a kill on
/// dispose, cancellation or timeout so a stuck decoder can never hang the caller.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    const int KeptErrorLines = 40;

    readonly Process _process;
    readonly Queue<string> _errors = new();
    readonly CancellationTokenSource _deadline;
    readonly CancellationTokenRegistration _killOnCancel;
    readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ToolProcess(Process process, CancellationTokenSource deadline)
    {
        _process = process;
        _deadline = deadline;
        _killOnCancel = deadline.Token.Register(Kill);
    }

    /// <summary>The child's stdout (raw bytes).</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The child's stdin (raw bytes); only when started with <c>writeInput</c>.</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>True once the timeout or the caller's token has fired (the process was killed).</summary>
    public bool Cancelled => _deadline.IsCancellationRequested;

    /// <summary>
    /// Starts <paramref name="tool"/> (ffmpeg or ffprobe). A missing tool becomes a
    /// <see cref="UserInputException"/> that names <paramref name="subject"/>, the file being worked on.
    /// </summary>
    public static ToolProcess Start(string tool, IEnumerable<string> arguments, string subject, bool writeInput,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        var process = new Process { StartInfo = info };
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            deadline.Dispose();
            throw new UserInputException($"{subject}: {tool} was not found on PATH; install ffmpeg (e.g. apt-get install ffmpeg) to read and write videos", e);
        }

        // Never leave stdin open for a tool that does not read it: EOF instead of a wait.
        if (!writeInput) process.StandardInput.Close();
        var run = new ToolProcess(process, deadline);
        process.ErrorDataReceived += run.OnErrorLine;
        process.BeginErrorReadLine();
        deadline.CancelAfter(timeout);
        return run;
    }

    void OnErrorLine(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            _stderrDone.TrySetResult();
            return;
        }
        if (e.Data.Length == 0) return;
        lock (_errors)
        {
            _errors.Enqueue(e.Data);
            if (_errors.Count > KeptErrorLines) _errors.Dequeue();
        }
    }

    /// <summary>The last lines the tool wrote on stderr.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get { lock (_errors) return _errors.ToArray(); }
    }

    /// <summary>Waits for the tool to exit (after stdout is read to the end) and returns its exit code, or -1 when killed.</summary>
    public int WaitForExit()
    {
        try
        {
            _process.WaitForExitAsync(_deadline.Token).GetAwaiter().GetResult();
            // Stderr is read asynchronously; wait briefly so the last lines are in ErrorLines.
            _stderrDone.Task.Wait(TimeSpan.FromSeconds(5));
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return -1;
        }
    }

    void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (Win32Exception)
        {
            // Exiting while we kill it.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _killOnCancel.Dispose();
        try
        {
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
        _deadline.Dispose();
    }
}
