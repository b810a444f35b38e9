using Decoupled.Video;

namespace Decoupled.Decompositions.Visualization;

/// <summary>Motion vectors drawn as arrows over the frames they predict.</summary>
public static class MotionArrows
{
    /// <summary>
    /// Copies frames 1..T-1 of <paramref name="clip"/> and draws, for every block that moved, an
    /// arrow from where its content was in the previous frame (block centre + vector) to the block
    /// centre, i.e. along the motion. Still blocks get a single dot.
    /// </summary>
    /// <exception cref="UserInputException">The field does not belong to a clip of this size.</exception>
    public static VideoClip Render(VideoClip clip, MotionVectorField field, (byte R, byte G, byte B)? colour = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(field);
        if (field.Frames != clip.Frames - 1 || field.Height != clip.Height || field.Width != clip.Width)
            throw new UserInputException($"motion field {field} does not match clip {clip}");
        var ink = colour ?? (255, 255, 0);
        var output = clip.Slice(1, clip.Frames - 1);
        int half = field.BlockSize / 2;
        for (int t = 0; t < field.Frames; t++)
            for (int by = 0; by < field.BlocksY; by++)
                for (int bx = 0; bx < field.BlocksX; bx++)
                {
                    var (dx, dy) = field[t, by, bx];
                    int cx = bx * field.BlockSize + half, cy = by * field.BlockSize + half;
                    if (dx == 0 && dy == 0)
                        LineDrawing.Plot(output, t, cx, cy, ink);
                    else
                        LineDrawing.Arrow(output, t, cx + dx, cy + dy, cx, cy, Math.Max(2, half / 2.0), ink);
                }
        return output;
    }
}
