namespace Decoupled.Decompositions.Visualization;

/// <summary>Colour conversions the visualisations share.</summary>
internal static class ColorMaps
{
    /// <summary>HSV (hue in degrees, saturation and value in [0, 1]) to RGB bytes.</summary>
    public static (byte R, byte G, byte B) Hsv(double hueDegrees, double saturation, double value)
    {
        double h = ((hueDegrees % 360) + 360) % 360 / 60;
        double c = value * saturation, x = c * (1 - Math.Abs(h % 2 - 1)), m = value - c;
        var (r, g, b) = (int)h switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return (ToByte(r + m), ToByte(g + m), ToByte(b + m));
    }

    /// <summary>"Hot" colour map: black, red, yellow, white as <paramref name="t"/> goes from 0 to 1.</summary>
    public static (byte R, byte G, byte B) Hot(double t)
    {
        t = Math.Clamp(t, 0, 1);
        return (ToByte(t * 3), ToByte(t * 3 - 1), ToByte(t * 3 - 2));
    }

    private static byte ToByte(double unit) => (byte)Math.Round(Math.Clamp(unit, 0, 1) * 255);
}
