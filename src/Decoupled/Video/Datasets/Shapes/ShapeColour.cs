namespace Decoupled.Video.Datasets.Shapes;

/// <summary>A named object colour. Every colour is vivid (or white) so it stands out from the subdued backgrounds.</summary>
/// <param name="Name">Lower-case name used in captions ("red").</param>
/// <param name="R">Red byte.</param>
/// <param name="G">Green byte.</param>
/// <param name="B">Blue byte.</param>
public sealed record ShapeColour(string Name, byte R, byte G, byte B)
{
    /// <summary>All object colours, in id order.</summary>
    public static IReadOnlyList<ShapeColour> All { get; } =
    [
        new("red", 230, 40, 40),
        new("green", 60, 230, 80),
        new("blue", 60, 110, 255),
        new("yellow", 240, 220, 50),
        new("magenta", 230, 60, 220),
        new("white", 245, 245, 245),
    ];
}
