using Decoupled.Video;

namespace Decoupled.Decompositions.Visualization;

/// <summary>Bresenham lines and arrows on a clip frame, clipped to the frame.</summary>
internal static class LineDrawing
{
    /// <summary>Draws the line from (x0, y0) to (x1, y1) inclusive.</summary>
    public static void Line(VideoClip clip, int t, int x0, int y0, int x1, int y1, (byte R, byte G, byte B) colour)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true)
        {
            Plot(clip, t, x0, y0, colour);
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Draws an arrow from tail to head with two barbs of <paramref name="headLength"/> pixels at 30 degrees.</summary>
    public static void Arrow(VideoClip clip, int t, int tailX, int tailY, int headX, int headY, double headLength, (byte R, byte G, byte B) colour)
    {
        Line(clip, t, tailX, tailY, headX, headY, colour);
        double angle = Math.Atan2(tailY - headY, tailX - headX);
        foreach (double barb in new[] { angle - Math.PI / 6, angle + Math.PI / 6 })
            Line(clip, t, headX, headY, headX + (int)Math.Round(headLength * Math.Cos(barb)), headY + (int)Math.Round(headLength * Math.Sin(barb)), colour);
    }

    /// <summary>Sets one pixel if it lies inside the frame.</summary>
    public static void Plot(VideoClip clip, int t, int x, int y, (byte R, byte G, byte B) colour)
    {
        if ((uint)x >= (uint)clip.Width || (uint)y >= (uint)clip.Height) return;
        clip[t, y, x, 0] = colour.R;
        clip[t, y, x, 1] = colour.G;
        clip[t, y, x, 2] = colour.B;
    }
}
