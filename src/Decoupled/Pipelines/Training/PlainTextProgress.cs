using System.Globalization;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// Writes progress as plain lines, for logs and non-interactive terminals:
/// <c>step 120/1000  loss 0.1234  lr 2.00e-04  1.52 it/s  12.2 items/s  eta 00:09:38</c>.
/// Subscribe <see cref="Report"/> to <see cref="Trainer{TBatch}.Progress"/>.
/// </summary>
/// <param name="writer">Where lines go (e.g. <see cref="Console.Error"/>).</param>
/// <param name="interval">Least time between two lines; the last step is always written.</param>
public sealed class PlainTextProgress(TextWriter writer, TimeSpan interval)
{
    private TimeSpan? lastWritten;

    /// <summary>A reporter that writes at most one line every 10 seconds.</summary>
    public PlainTextProgress(TextWriter writer) : this(writer, TimeSpan.FromSeconds(10)) { }

    /// <summary>Writes a line for <paramref name="p"/> if the interval has passed or training is done.</summary>
    public void Report(TrainingProgress p)
    {
        bool last = p.Step >= p.Steps;
        if (!last && lastWritten is { } previous && p.Elapsed - previous < interval)
            return;
        lastWritten = p.Elapsed;
        writer.WriteLine(Format(p));
    }

    /// <summary>The line for <paramref name="p"/>.</summary>
    public static string Format(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.Steps}  loss {p.Loss:0.0000}  lr {p.LearningRate:0.00e+00}  {p.StepsPerSecond:0.00} it/s  {p.ItemsPerSecond:0.0} items/s  eta {Clock(p.Eta)}");

    private static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes:00}:{t.Seconds:00}";
}
