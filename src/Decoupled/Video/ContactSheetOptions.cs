namespace Decoupled.Video;

/// <summary>Layout of a <see cref="ContactSheet"/>.</summary>
public sealed record ContactSheetOptions
{
    /// <summary>One label per row (clip), drawn above it; null for none. Skipped silently when no font can be rendered.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Show every Stride-th frame (1 = all).</summary>
    public int FrameStride { get; init; } = 1;

    /// <summary>At most this many frames per row; null for no limit.</summary>
    public int? MaxColumns { get; init; }

    /// <summary>Pixels between cells and around the sheet.</summary>
    public int Gap { get; init; } = 2;

    /// <summary>Colour of gaps, label bands and empty cells, as R, G, B.</summary>
    public (byte R, byte G, byte B) Background { get; init; } = (255, 255, 255);
}
