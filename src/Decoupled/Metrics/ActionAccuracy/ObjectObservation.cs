namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>What the tracker saw of the object in one frame.</summary>
/// <param name="Found">Whether a compact object-coloured blob was present.</param>
/// <param name="X">Centroid column (pixel centres are integers), NaN when not found.</param>
/// <param name="Y">Centroid row, NaN when not found.</param>
/// <param name="Area">Object pixels counted (0 when not found).</param>
public readonly record struct ObjectObservation(bool Found, double X, double Y, double Area)
{
    /// <summary>The observation for a frame without the object.</summary>
    public static ObjectObservation Missing { get; } = new(false, double.NaN, double.NaN, 0);
}
