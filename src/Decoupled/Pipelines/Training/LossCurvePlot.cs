using Decoupled.IO;
using ScottPlot;

namespace Decoupled.Pipelines.Training;

/// <summary>Draws <c>loss.png</c>: the logged losses as a faint line and a smoothed curve over them (ScottPlot, rendered headless by SkiaSharp).</summary>
public static class LossCurvePlot
{
    /// <summary>
    /// Writes the curve of <paramref name="rows"/> to <paramref name="path"/> atomically. With
    /// <paramref name="logScale"/> the y axis is logarithmic (ticks at powers of ten), which shows
    /// diffusion losses better once they flatten; non-positive losses are then left out.
    /// </summary>
    public static void Write(string path, IReadOnlyList<TrainingLogRow> rows, bool logScale = true, int width = 900, int height = 500)
    {
        var finite = rows.Where(r => double.IsFinite(r.Loss)).ToList();
        // A log axis only helps across decades; over a narrow range ScottPlot's log minor ticks
        // also run away (they exhausted memory on a 1.006..1.009 range), so fall back to linear.
        var positive = finite.Where(r => r.Loss > 0).Select(r => r.Loss).ToList();
        logScale = logScale && positive.Count > 1 && positive.Max() / positive.Min() >= 10;
        var points = finite.Where(r => !logScale || r.Loss > 0).ToList();
        double[] steps = points.Select(r => (double)r.Step).ToArray();
        double[] losses = points.Select(r => logScale ? Math.Log10(r.Loss) : r.Loss).ToArray();

        using var plot = new Plot();
        if (steps.Length > 0)
        {
            var raw = plot.Add.ScatterLine(steps, losses);
            raw.Color = Colors.SteelBlue.WithAlpha(0.35);
            raw.LineWidth = 1;
            var smooth = plot.Add.ScatterLine(steps, Smooth(losses));
            smooth.Color = Colors.DarkBlue;
            smooth.LineWidth = 2;
        }
        if (logScale)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        plot.Title("training loss");
        plot.XLabel("step");
        plot.YLabel(logScale ? "loss (log scale)" : "loss");
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// An exponential moving average with TensorBoard's bias correction (weight 0.9, or less for
    /// short logs), so the first points are not pulled towards zero.
    /// </summary>
    private static double[] Smooth(double[] values)
    {
        double weight = Math.Min(0.9, 1 - 4.0 / Math.Max(5, values.Length));
        var smoothed = new double[values.Length];
        double average = 0, correction = 1;
        for (int i = 0; i < values.Length; i++)
        {
            average = weight * average + (1 - weight) * values[i];
            correction *= weight;
            smoothed[i] = average / (1 - correction);
        }
        return smoothed;
    }
}
