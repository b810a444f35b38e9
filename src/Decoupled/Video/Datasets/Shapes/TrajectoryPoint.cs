namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// Where the object is in one frame: its area centroid in pixel coordinates (the centre of
/// pixel (column 0, row 0) is (0, 0); x grows right, y grows down) and its size in pixels
/// (side, diameter or span, see <see cref="ShapeKind"/>).
/// </summary>
/// <param name="X">Centroid column.</param>
/// <param name="Y">Centroid row.</param>
/// <param name="Size">Object size in pixels.</param>
public readonly record struct TrajectoryPoint(double X, double Y, double Size);
