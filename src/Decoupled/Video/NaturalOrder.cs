namespace Decoupled.Video;

/// <summary>
/// Orders names the way people number frames: digit runs compare as numbers, so
/// <c>frame2</c> comes before <c>frame10</c>. Everything else compares ordinally, ignoring case,
/// so the order never depends on the machine's culture.
/// </summary>
public sealed class NaturalOrder : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static NaturalOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int c = CompareNumbers(x, ref i, y, ref j);
                if (c != 0) return c;
                continue;
            }
            int d = char.ToLowerInvariant(x[i]).CompareTo(char.ToLowerInvariant(y[j]));
            if (d != 0) return d;
            i++;
            j++;
        }
        int byLength = (x.Length - i).CompareTo(y.Length - j);
        // Names equal up to case and zero padding still get a fixed order.
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    /// <summary>Compares the digit runs starting at i and j by value (any length) and moves past them.</summary>
    static int CompareNumbers(string x, ref int i, string y, ref int j)
    {
        int startX = i, startY = j;
        while (i < x.Length && x[i] == '0') i++;
        while (j < y.Length && y[j] == '0') j++;
        int digitsX = i, digitsY = j;
        while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
        while (j < y.Length && char.IsAsciiDigit(y[j])) j++;

        int lengthX = i - digitsX, lengthY = j - digitsY;
        if (lengthX != lengthY) return lengthX.CompareTo(lengthY);
        int c = string.CompareOrdinal(x, digitsX, y, digitsY, lengthX);
        if (c != 0) return c;
        // Same value: fewer leading zeros first.
        return (digitsX - startX).CompareTo(digitsY - startY);
    }
}
