namespace Decoupled.IO;

/// <summary>
/// Writes files so that a reader (or a killed run) sees either the old file or the complete new
/// one, never a half-written file: the content goes to a temporary file in the same folder, is
/// flushed to disk, then renamed over the target (rename is atomic within one file system).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into a temp file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Atomically writes all bytes.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Atomically writes UTF-8 text.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>
    /// Runs a tool that writes to a file name it is given (such as ffmpeg): the tool writes a temp
    /// path with the same extension, which is renamed to <paramref name="path"/> only if it succeeds.
    /// </summary>
    public static void WriteVia(string path, Action<string> writeToTempPath)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            writeToTempPath(temp);
            if (!File.Exists(temp)) throw new IOException($"{path}: the writer produced no file");
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
