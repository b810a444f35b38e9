namespace Decoupled.Video.Datasets.Shapes;

/// <summary>Draws a subject along a trajectory: a static textured background with an anti-aliased object on top.</summary>
public static class ShapesRenderer
{
    /// <summary>
    /// Renders one frame per trajectory point. The background layout comes from
    /// <paramref name="backgroundSeed"/>; the object follows <paramref name="trajectory"/>
    /// (points may lie partly outside the frame; what falls outside is clipped).
    /// </summary>
    public static VideoClip Render(ShapeSubject subject, IReadOnlyList<TrajectoryPoint> trajectory, int height, int width,
        ulong backgroundSeed, double framesPerSecond = ShapesDatasetOptions.DefaultFramesPerSecond)
    {
        ShapesDatasetOptions.ValidateClipSize(trajectory.Count, height, width);
        var background = BackgroundRenderer.Render(subject.Texture, height, width, backgroundSeed);
        var clip = new VideoClip(trajectory.Count, height, width, framesPerSecond);
        for (var t = 0; t < trajectory.Count; t++)
        {
            var frame = clip.Frame(t);
            background.CopyTo(frame);
            DrawObject(frame, height, width, subject, trajectory[t]);
        }
        return clip;
    }

    private static void DrawObject(Span<byte> frame, int height, int width, ShapeSubject subject, TrajectoryPoint p)
    {
        // Only the object's bounding box (plus a pixel for the anti-aliased rim) needs work.
        var reach = TrajectoryPlanner.HalfExtent * p.Size + 1;
        var x0 = Math.Max(0, (int)Math.Floor(p.X - reach));
        var x1 = Math.Min(width - 1, (int)Math.Ceiling(p.X + reach));
        var y0 = Math.Max(0, (int)Math.Floor(p.Y - reach));
        var y1 = Math.Min(height - 1, (int)Math.Ceiling(p.Y + reach));
        var colour = subject.Colour;
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
            {
                var cover = ShapeGeometry.Coverage(subject.Shape, x - p.X, y - p.Y, p.Size);
                if (cover <= 0) continue;
                var i = (y * width + x) * 3;
                frame[i] = Blend(frame[i], colour.R, cover);
                frame[i + 1] = Blend(frame[i + 1], colour.G, cover);
                frame[i + 2] = Blend(frame[i + 2], colour.B, cover);
            }
    }

    private static byte Blend(byte under, byte over, double cover) => BackgroundRenderer.ToByte(under + (over - under) * cover);
}
