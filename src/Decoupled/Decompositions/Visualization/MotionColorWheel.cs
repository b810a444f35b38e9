using Decoupled.Video;

namespace Decoupled.Decompositions.Visualization;

/// <summary>
/// Motion field as colour, the optical-flow convention: hue is the direction the content moves,
/// brightness its speed (black = still). One output frame per P-frame.
/// </summary>
public static class MotionColorWheel
{
    /// <summary>
    /// Renders <paramref name="field"/> densely, <c>[T-1, H, W]</c>. The content moves by
    /// (-dx, -dy) (vectors point back to the previous frame); 0 degrees = moving right, 90 = down.
    /// Magnitudes of <paramref name="maxMagnitude"/> or more are full brightness; 0 picks the field's largest.
    /// </summary>
    public static VideoClip Render(MotionVectorField field, double maxMagnitude = 0)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (maxMagnitude <= 0)
        {
            maxMagnitude = 1;
            for (int i = 0; i < field.Vectors.Length; i += 2)
                maxMagnitude = Math.Max(maxMagnitude, Math.Sqrt(field.Vectors[i] * field.Vectors[i] + field.Vectors[i + 1] * field.Vectors[i + 1]));
        }
        var clip = new VideoClip(field.Frames, field.Height, field.Width);
        for (int t = 0; t < field.Frames; t++)
            for (int by = 0; by < field.BlocksY; by++)
                for (int bx = 0; bx < field.BlocksX; bx++)
                {
                    var (dx, dy) = field[t, by, bx];
                    var colour = Colour(-dx, -dy, maxMagnitude);
                    FillBlock(clip, t, by * field.BlockSize, bx * field.BlockSize, field.BlockSize, colour);
                }
        return clip;
    }

    /// <summary>The colour of a motion (mx, my) in pixels, at full brightness from <paramref name="maxMagnitude"/>.</summary>
    public static (byte R, byte G, byte B) Colour(double mx, double my, double maxMagnitude)
    {
        double magnitude = Math.Sqrt(mx * mx + my * my);
        double hue = Math.Atan2(my, mx) * 180 / Math.PI;
        return ColorMaps.Hsv(hue, 1, Math.Min(1, magnitude / maxMagnitude));
    }

    private static void FillBlock(VideoClip clip, int t, int y0, int x0, int size, (byte R, byte G, byte B) colour)
    {
        for (int y = y0; y < Math.Min(y0 + size, clip.Height); y++)
            for (int x = x0; x < Math.Min(x0 + size, clip.Width); x++)
            {
                clip[t, y, x, 0] = colour.R;
                clip[t, y, x, 1] = colour.G;
                clip[t, y, x, 2] = colour.B;
            }
    }
}
