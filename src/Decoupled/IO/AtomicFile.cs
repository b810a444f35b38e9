namespace Decoupled.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: the content
/// goes to a hidden temp file in the same folder (same file system, so the rename is atomic),
/// which then replaces the target. A failed write deletes the temp file and leaves the old one alone.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Creates the target's folder, lets <paramref name="writeTemp"/> fill the temp path it is
    /// given, then renames that over <paramref name="path"/>. I/O failures become a
    /// <see cref="UserInputException"/> naming <paramref name="path"/>.
    /// </summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UserInputException($"{path}: is a folder; give a file name to write to");
        var temp = TempPathFor(full);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            writeTemp(temp);
            if (!File.Exists(temp))
                throw new IOException("the writer produced no file");
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temp);
            throw new UserInputException($"{path}: cannot write ({e.Message})", e);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, temp => File.WriteAllBytes(temp, copy));
    }

    /// <summary>Writes UTF-8 text atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Writes through a stream atomically (the stream is flushed to disk before the rename).</summary>
    public static void WriteStream(string path, Action<Stream> write) =>
        Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            write(stream);
            stream.Flush(flushToDisk: true);
        });

    /// <summary>The temp name used for <paramref name="fullPath"/>: hidden, unique, beside the target.</summary>
    internal static string TempPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    internal static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp name is hidden and unique, so a leftover harms nothing.
        }
    }
}
