namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// Signed distance (in pixels, negative inside) from a point to each shape's outline, with the
/// shape's area centroid at the origin. Coverage for anti-aliasing is <c>clamp(0.5 - d, 0, 1)</c>.
/// </summary>
public static class ShapeGeometry
{
    private const double Sqrt3 = 1.7320508075688772;
    private const double InvSqrt2 = 0.70710678118654752;

    /// <summary>Signed distance from (<paramref name="dx"/>, <paramref name="dy"/>) to a <paramref name="kind"/> of size <paramref name="size"/> centred at the origin.</summary>
    public static double SignedDistance(ShapeKind kind, double dx, double dy, double size)
    {
        var h = size / 2;
        var ax = Math.Abs(dx);
        var ay = Math.Abs(dy);
        switch (kind)
        {
            case ShapeKind.Square:
                return Math.Max(ax - h, ay - h);
            case ShapeKind.Circle:
                return Math.Sqrt(dx * dx + dy * dy) - h;
            case ShapeKind.Diamond:
                return (ax + ay - h) * InvSqrt2;
            case ShapeKind.Cross:
                {
                    var arm = size / 6;
                    return Math.Min(Math.Max(ax - h, ay - arm), Math.Max(ax - arm, ay - h));
                }
            case ShapeKind.Triangle:
                {
                    // Equilateral, apex up: the centroid sits a third of the height above the base,
                    // so the base is at +r and the slanted edges pass a/sqrt(3) above the centre.
                    var r = size / (2 * Sqrt3);
                    var apex = size / Sqrt3;
                    var slanted = 0.5 * Sqrt3 * ax - 0.5 * (dy + apex);
                    return Math.Max(dy - r, slanted);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), $"unknown shape {kind}");
        }
    }

    /// <summary>Fraction of a pixel covered by the shape, from its signed distance (a one-pixel linear ramp).</summary>
    public static double Coverage(ShapeKind kind, double dx, double dy, double size) =>
        Math.Clamp(0.5 - SignedDistance(kind, dx, dy, size), 0, 1);
}
