namespace Decoupled.Pipelines.Checkpoints;

/// <summary>
/// Replaces a whole folder so that a killed process never leaves a half-written one:
/// <list type="number">
/// <item>the new content is written into a hidden temp sibling <c>.NAME.GUID.tmp</c>;</item>
/// <item>the current folder, if any, is renamed to <c>NAME.old</c>;</item>
/// <item>the temp folder is renamed to <c>NAME</c>;</item>
/// <item><c>NAME.old</c> is deleted.</item>
/// </list>
/// Every rename stays on one file system, so each is atomic. A crash between steps 2 and 3 leaves
/// only <c>NAME.old</c>, which is complete: <see cref="Resolve"/> reads from it, and the next
/// <see cref="Write"/> renames it back first. Linux cannot rename a folder over a non-empty one,
/// hence the detour through <c>NAME.old</c>. One writer per folder at a time: a new write deletes
/// the temp folders that killed writers of the same target left behind.
/// </summary>
public static class AtomicFolder
{
    /// <summary>Suffix of the previous folder while a new one is being swapped in.</summary>
    public const string OldSuffix = ".old";

    /// <summary>
    /// Lets <paramref name="writeTemp"/> fill an empty temp folder, then swaps it in as
    /// <paramref name="folder"/>. If <paramref name="writeTemp"/> throws, the temp folder is deleted and
    /// the existing <paramref name="folder"/> is untouched. I/O failures become a
    /// <see cref="UserInputException"/> naming <paramref name="folder"/>.
    /// </summary>
    public static void Write(string folder, Action<string> writeTemp)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var parent = Path.GetDirectoryName(full) ?? throw new UserInputException($"{folder}: cannot replace a root folder");
        var name = Path.GetFileName(full);
        var old = full + OldSuffix;
        var temp = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        if (File.Exists(full))
            throw new UserInputException($"{folder}: is a file; give a folder to write the checkpoint to");
        try
        {
            Directory.CreateDirectory(parent);
            FinishInterruptedSwap(full, old);
            DeleteStaleTemps(parent, name);
            Directory.CreateDirectory(temp);
            writeTemp(temp);
            Swap(temp, full, old);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temp);
            throw new UserInputException($"{folder}: cannot write ({e.Message})", e);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>
    /// The folder to read: <paramref name="folder"/> itself, or its complete predecessor
    /// <c>NAME.old</c> when a swap was interrupted after moving it aside; null when neither exists.
    /// </summary>
    public static string? Resolve(string folder)
    {
        if (Directory.Exists(folder)) return folder;
        var old = Path.TrimEndingDirectorySeparator(folder) + OldSuffix;
        return Directory.Exists(old) ? old : null;
    }

    private static void Swap(string temp, string full, string old)
    {
        bool hadCurrent = Directory.Exists(full);
        if (hadCurrent)
            Directory.Move(full, old);
        try
        {
            Directory.Move(temp, full);
        }
        catch when (hadCurrent)
        {
            Directory.Move(old, full);
            throw;
        }
        if (hadCurrent)
            DeleteQuietly(old);
    }

    /// <summary>Brings a crashed earlier swap to a clean state before starting a new one.</summary>
    private static void FinishInterruptedSwap(string full, string old)
    {
        if (!Directory.Exists(old)) return;
        if (Directory.Exists(full))
            Directory.Delete(old, recursive: true);   // the new folder was in place; only the clean-up was lost
        else
            Directory.Move(old, full);                 // the old folder was moved aside; it is still the last complete one
    }

    /// <summary>Temp folders of this target left by killed writers hold nothing anyone can use.</summary>
    private static void DeleteStaleTemps(string parent, string name)
    {
        foreach (var stale in Directory.EnumerateDirectories(parent, $".{name}.*.tmp"))
            DeleteQuietly(stale);
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp or .old folder is cleaned up by the next write.
        }
    }
}
