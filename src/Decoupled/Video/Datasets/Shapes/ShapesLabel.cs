namespace Decoupled.Video.Datasets.Shapes;

/// <summary>One row of labels.json / labels.csv (see <see cref="ShapesLabelWriter"/>).</summary>
/// <param name="File">Path of the clip file, relative to the dataset folder.</param>
/// <param name="Index">Position in the dataset.</param>
/// <param name="Split">"train" or "test".</param>
/// <param name="ClassId">Action class id.</param>
/// <param name="Action">Action machine name.</param>
/// <param name="Caption">"{colour} {shape} {action phrase}".</param>
/// <param name="SubjectId">Subject id.</param>
/// <param name="Subject">Subject name ("red-square-stripes").</param>
/// <param name="Shape">Shape name.</param>
/// <param name="Colour">Colour name.</param>
/// <param name="Texture">Background texture name.</param>
/// <param name="Frames">Frames in the clip.</param>
/// <param name="Height">Frame height.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Seed">The clip's own seed.</param>
/// <param name="Trajectory">Per-frame centroid and size, rounded to 3 decimals (JSON only).</param>
public sealed record ShapesLabel(string File, int Index, string Split, int ClassId, string Action, string Caption,
    int SubjectId, string Subject, string Shape, string Colour, string Texture, int Frames, int Height, int Width,
    ulong Seed, IReadOnlyList<ShapesLabelPoint> Trajectory);

/// <summary>A trajectory point as written to labels.json.</summary>
/// <param name="X">Centroid column (pixel centres are integers).</param>
/// <param name="Y">Centroid row.</param>
/// <param name="Size">Object size in pixels.</param>
public sealed record ShapesLabelPoint(double X, double Y, double Size);
