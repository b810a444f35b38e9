namespace Decoupled.Bench;

/// <summary>
/// Peak resident memory of this process, per measured section: Linux keeps the high-water mark
/// (VmHWM in /proc/self/status) and resets it when "5" is written to /proc/self/clear_refs, so
/// each model of a benchmark gets its own peak even in one process.
/// </summary>
public static class PeakMemory
{
    /// <summary>Resets the high-water mark to the current resident size; false where the kernel does not allow it.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Hands memory that the process freed but glibc's allocator still holds back to the system (malloc_trim),
    /// so a measurement after another model's does not start on pages that model left behind.
    /// False where there is no glibc.
    /// </summary>
    public static bool ReleaseFreedMemory()
    {
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Peak resident set size since the last reset, in MiB (0 where unavailable).</summary>
    public static double PeakMb() => ReadKb("VmHWM:") / 1024.0;

    /// <summary>Current resident set size in MiB.</summary>
    public static double CurrentMb() => ReadKb("VmRSS:") / 1024.0;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static long ReadKb(string key)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return 0;
    }
}
