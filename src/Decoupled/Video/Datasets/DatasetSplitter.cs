using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Decoupled.Video.Datasets;

/// <summary>
/// The deterministic train/test split. A clip's group is taken from its relative path (see
/// <see cref="FolderDatasetOptions.GroupPattern"/>); the group's SHA-256 (UTF-8) gives a number
/// u in [0, 1) from its first 8 bytes (big-endian / 2^64), and the group is Test when
/// u &lt; TestFraction. The split depends only on the group text, so it is the same on every
/// machine and run, adding clips never moves old ones, and a group never straddles the split.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>The group of a clip: the pattern's first capture group, else its whole match, else the relative path itself.</summary>
    public static string GroupOf(string relativePath, Regex? pattern)
    {
        if (pattern is null) return relativePath;
        var m = pattern.Match(relativePath);
        if (!m.Success) return relativePath;
        return m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1].Value : m.Value;
    }

    /// <summary>The group's position in [0, 1), uniform over groups and fixed forever.</summary>
    public static double HashUnit(string group)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(group), digest);
        ulong top = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest);
        return (top >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Test when the group is listed in <paramref name="testGroups"/> (if given), else when its hash falls below <paramref name="testFraction"/>.</summary>
    public static DatasetSplit SplitOf(string group, double testFraction, IReadOnlySet<string>? testGroups = null)
    {
        if (testGroups is not null) return testGroups.Contains(group) ? DatasetSplit.Test : DatasetSplit.Train;
        return HashUnit(group) < testFraction ? DatasetSplit.Test : DatasetSplit.Train;
    }
}
