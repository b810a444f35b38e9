using System.Diagnostics;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Shapes;

public class ShapesRenderingTests
{
    public static TheoryData<int, int, int> Sizes => new() { { 12, 64, 64 }, { 9, 32, 48 }, { 5, 80, 40 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TrajectoryMatchesRenderedObject(int frames, int height, int width)
    {
        var dataset = new ShapesDataset(new ShapesDatasetOptions { Count = 44, Frames = frames, Height = height, Width = width, Seed = 11 });
        foreach (var sample in dataset)
        {
            var background = sample.RenderBackground();
            var colour = sample.Subject.Colour;
            for (var t = 0; t < frames; t++)
            {
                // Per-pixel coverage recovered by projecting (pixel - background) on (object - background).
                var frame = sample.Clip.Frame(t);
                double mass = 0, mx = 0, my = 0;
                for (var i = 0; i < height * width; i++)
                {
                    double num = 0, den = 0;
                    ReadOnlySpan<byte> obj = [colour.R, colour.G, colour.B];
                    for (var c = 0; c < 3; c++)
                    {
                        double d = obj[c] - background[3 * i + c];
                        num += (frame[3 * i + c] - background[3 * i + c]) * d;
                        den += d * d;
                    }
                    var cover = Math.Clamp(num / den, 0, 1);
                    mass += cover;
                    mx += cover * (i % width);
                    my += cover * (i / width);
                }
                var p = sample.Trajectory[t];
                Assert.InRange(mx / mass, p.X - 0.3, p.X + 0.3);
                Assert.InRange(my / mass, p.Y - 0.3, p.Y + 0.3);
                var area = ExpectedArea(sample.Subject.Shape, p.Size);
                Assert.InRange(mass, area * 0.93 - 1, area * 1.07 + 1);
            }
        }
    }

    private static double ExpectedArea(ShapeKind kind, double s) => kind switch
    {
        ShapeKind.Square => s * s,
        ShapeKind.Circle => Math.PI * s * s / 4,
        ShapeKind.Diamond => s * s / 2,
        ShapeKind.Cross => 5 * s * s / 9,
        ShapeKind.Triangle => Math.Sqrt(3) / 4 * s * s,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ObjectStaysInsideTheFrame(int frames, int height, int width)
    {
        var dataset = new ShapesDataset(new ShapesDatasetOptions { Count = 220, Frames = frames, Height = height, Width = width, Seed = 12 });
        foreach (var sample in dataset)
            foreach (var p in sample.Trajectory)
            {
                var reach = TrajectoryPlanner.HalfExtent * p.Size;
                Assert.InRange(p.X - reach, -0.5, width - 0.5);
                Assert.InRange(p.X + reach, -0.5, width - 0.5);
                Assert.InRange(p.Y - reach, -0.5, height - 0.5);
                Assert.InRange(p.Y + reach, -0.5, height - 0.5);
            }
    }

    [Fact]
    public void ActionsMoveTheWayTheyAreNamed()
    {
        foreach (var sample in new ShapesDataset(new ShapesDatasetOptions { Count = 110, Frames = 9, Height = 48, Width = 64, Seed = 13 }))
        {
            var first = sample.Trajectory[0];
            var last = sample.Trajectory[^1];
            var mid = sample.Trajectory[4];
            var a = sample.Action;
            var travel = 0.2 * 48;
            switch (a.Kind)
            {
                case MotionKind.Translate:
                    if (a.DirX != 0) Assert.True(a.DirX * (last.X - first.X) > travel / 1.5, $"{sample.Caption}: dx {last.X - first.X}");
                    else Assert.InRange(last.X - first.X, -0.15 * travel * 2, 0.15 * travel * 2);
                    if (a.DirY != 0) Assert.True(a.DirY * (last.Y - first.Y) > travel / 1.5, $"{sample.Caption}: dy {last.Y - first.Y}");
                    else Assert.InRange(last.Y - first.Y, -0.15 * travel * 2, 0.15 * travel * 2);
                    Assert.Equal(first.Size, last.Size);
                    break;
                case MotionKind.Bounce:
                    Assert.True(mid.Y - first.Y > travel && mid.Y - last.Y > travel, $"{sample.Caption}: {first.Y} {mid.Y} {last.Y}");
                    break;
                case MotionKind.Scale:
                    Assert.True(a.ScaleSign * (last.Size - first.Size) > 0.8 * Math.Min(first.Size, last.Size), sample.Caption);
                    Assert.Equal(first.X, last.X);
                    break;
            }
        }
    }

    [Fact]
    public void ThousandSmallClipsRenderInSeconds()
    {
        var dataset = new ShapesDataset(new ShapesDatasetOptions { Count = 1000, Frames = 16, Height = 64, Width = 64, Seed = 14 });
        var watch = Stopwatch.StartNew();
        long checksum = 0;
        foreach (var sample in dataset) checksum += sample.Clip.Pixels[^1];
        watch.Stop();
        Assert.True(checksum > 0);
        // Measured ~0.3 s on the 2-core dev machine; the bound leaves room for a busy machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
