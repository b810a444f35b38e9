namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// Plans where the object is in every frame of an action. Distances and sizes are fractions of
/// the shorter frame side, and the whole motion spans the clip, so an action looks the same at
/// any size and frame count. Start point, speed, direction and size are jittered from the
/// generator, and the object always stays wholly inside the frame. Only +, -, *, / and sqrt are
/// used, which are correctly rounded everywhere, so a seed gives identical bytes on every machine.
/// </summary>
public static class TrajectoryPlanner
{
    /// <summary>Half the extent of any shape as a fraction of its size (the triangle's apex reaches 0.577).</summary>
    public const double HalfExtent = 0.6;

    /// <summary>Plans <paramref name="frames"/> points of <paramref name="action"/> in a <paramref name="width"/> x <paramref name="height"/> frame.</summary>
    public static TrajectoryPoint[] Plan(ShapeAction action, int frames, int height, int width, SplitMix64 rng)
    {
        ShapesDatasetOptions.ValidateClipSize(frames, height, width);
        var frame = new FrameBox(height, width);
        return action.Kind switch
        {
            MotionKind.Translate => PlanTranslation(action, frames, frame, rng),
            MotionKind.Bounce => PlanBounce(frames, frame, rng),
            MotionKind.Scale => PlanScale(action, frames, frame, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(action), $"unknown motion kind {action.Kind}"),
        };
    }

    private static TrajectoryPoint[] PlanTranslation(ShapeAction action, int frames, FrameBox frame, SplitMix64 rng)
    {
        var size = Math.Max(5, frame.Short * rng.Uniform(0.17, 0.23));
        var (lo, hiX, hiY) = frame.CentreRange(size);

        // Tilt the direction by up to ~6 degrees with a perpendicular nudge (no trig needed).
        double bx = action.DirX, by = action.DirY;
        var norm = Math.Sqrt(bx * bx + by * by);
        bx /= norm;
        by /= norm;
        var nudge = rng.Uniform(-0.1, 0.1);
        var vx = bx - nudge * by;
        var vy = by + nudge * bx;
        norm = Math.Sqrt(vx * vx + vy * vy);
        var travel = frame.Short * rng.Uniform(0.35, 0.55);
        var dx = travel * vx / norm;
        var dy = travel * vy / norm;

        // Shrink the path (keeping its direction) when it does not fit the frame.
        var fit = Math.Min(1.0, Math.Min(Fit(hiX - lo, dx), Fit(hiY - lo, dy)));
        dx *= fit;
        dy *= fit;
        var x0 = rng.Uniform(lo + Math.Max(0, -dx), hiX - Math.Max(0, dx));
        var y0 = rng.Uniform(lo + Math.Max(0, -dy), hiY - Math.Max(0, dy));

        var points = new TrajectoryPoint[frames];
        for (var t = 0; t < frames; t++)
        {
            var s = Progress(t, frames);
            points[t] = new TrajectoryPoint(x0 + dx * s, y0 + dy * s, size);
        }
        return points;
    }

    private static TrajectoryPoint[] PlanBounce(int frames, FrameBox frame, SplitMix64 rng)
    {
        var size = Math.Max(5, frame.Short * rng.Uniform(0.17, 0.23));
        var (lo, hiX, hiY) = frame.CentreRange(size);
        var x = rng.Uniform(lo, hiX);
        var floor = hiY - rng.Uniform(0, 0.05) * (hiY - lo);
        var height = (floor - lo) * rng.Uniform(0.7, 1.0);
        var contact = rng.Uniform(0.4, 0.6);
        var halfPeriod = Math.Max(contact, 1 - contact);

        var points = new TrajectoryPoint[frames];
        for (var t = 0; t < frames; t++)
        {
            // Height above the floor of a ball under gravity: a parabola on each side of the contact time.
            var u = 1 - Math.Abs(Progress(t, frames) - contact) / halfPeriod;
            var lift = 1 - u * u;
            points[t] = new TrajectoryPoint(x, floor - height * lift, size);
        }
        return points;
    }

    private static TrajectoryPoint[] PlanScale(ShapeAction action, int frames, FrameBox frame, SplitMix64 rng)
    {
        var small = Math.Max(4, frame.Short * rng.Uniform(0.12, 0.16));
        var big = Math.Min(small * rng.Uniform(2.0, 2.6), frame.Short * 0.5);
        var (lo, hiX, hiY) = frame.CentreRange(big);
        var x = rng.Uniform(lo, hiX);
        var y = rng.Uniform(lo, hiY);
        var (from, to) = action.ScaleSign > 0 ? (small, big) : (big, small);

        var points = new TrajectoryPoint[frames];
        for (var t = 0; t < frames; t++)
            points[t] = new TrajectoryPoint(x, y, from + (to - from) * Progress(t, frames));
        return points;
    }

    private static double Progress(int t, int frames) => frames == 1 ? 0 : (double)t / (frames - 1);

    private static double Fit(double room, double travel) => Math.Abs(travel) <= room ? 1 : room / Math.Abs(travel);

    /// <summary>The frame, with the margin every object keeps from the border.</summary>
    private readonly record struct FrameBox(int Height, int Width)
    {
        public double Short => Math.Min(Height, Width);

        private double Margin => Math.Max(1, 0.04 * Short);

        /// <summary>Smallest and largest centre coordinates that keep an object of this size inside.</summary>
        public (double Lo, double HiX, double HiY) CentreRange(double size)
        {
            // Pixel centres run 0..W-1, so the frame's edges are at -0.5 and W-0.5.
            var lo = HalfExtent * size + Margin - 0.5;
            return (lo, Width - 0.5 - HalfExtent * size - Margin, Height - 0.5 - HalfExtent * size - Margin);
        }
    }
}
