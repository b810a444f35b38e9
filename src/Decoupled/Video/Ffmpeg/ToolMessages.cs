namespace Decoupled.Video.Ffmpeg;

/// <summary>Turns ffmpeg's stderr into the short cause that ends a one-line user error.</summary>
internal static class ToolMessages
{
    const int MaxLength = 160;

    /// <summary>
    /// The most telling stderr line with the file path and ffmpeg's <c>[demuxer @ 0x...]</c> prefix
    /// removed, or null when ffmpeg said nothing.
    /// </summary>
    public static string? Cause(IReadOnlyList<string> errorLines, string fullPath)
    {
        // ffmpeg's last line is often a generic summary ("Conversion failed!"); prefer the line before it.
        var line = errorLines.LastOrDefault(l => !IsSummary(l)) ?? errorLines.LastOrDefault();
        if (line is null) return null;
        line = line.Replace("file:" + fullPath, "").Replace(fullPath, "");
        if (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0)
            line = line[(end + 2)..];
        line = line.Trim().TrimStart(':').Trim();
        if (line.Length == 0) return null;
        return line.Length <= MaxLength ? line : line[..MaxLength] + "...";
    }

    static bool IsSummary(string line) =>
        line.StartsWith("Conversion failed", StringComparison.Ordinal) ||
        line.StartsWith("Error while", StringComparison.Ordinal) ||
        line.Contains("Nothing was written", StringComparison.Ordinal);

    /// <summary><c> (cause)</c> or an empty string.</summary>
    public static string Suffix(IReadOnlyList<string> errorLines, string fullPath) =>
        Cause(errorLines, fullPath) is { } cause ? $" ({cause})" : "";
}
