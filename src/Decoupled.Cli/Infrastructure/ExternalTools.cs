using System.Diagnostics;

namespace Decoupled.Cli.Infrastructure;

/// <summary>Looks up external programs for <c>info</c>.</summary>
public static class ExternalTools
{
    /// <summary>The first line of <c>ffmpeg -version</c>, or null when ffmpeg is not on PATH.</summary>
    public static string? FfmpegVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("ffmpeg", "-hide_banner -version") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (p is null) return null;
            var first = p.StandardOutput.ReadLine();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit(5000);
            return first;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
