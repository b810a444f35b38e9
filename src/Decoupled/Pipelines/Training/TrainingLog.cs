using System.Globalization;
using System.Text;
using System.Text.Json;
using Decoupled.IO;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// The run's loss log, kept twice: <c>log.csv</c> for spreadsheets and plots, <c>log.jsonl</c> for
/// scripts. Rows are appended as training goes; a resumed run first cuts both files back to the
/// checkpoint's step, because the steps after it are about to be trained again. Numbers are written
/// round-trippable, so reading the log back gives the very values that were logged.
/// </summary>
public sealed class TrainingLog
{
    /// <summary>The CSV header line.</summary>
    public const string CsvHeader = "step,loss,lr,grad_norm,seconds,items_per_second";

    private static readonly JsonSerializerOptions JsonlOptions = new(JsonFile.Options) { WriteIndented = false };
    private readonly List<TrainingLogRow> rows;

    private TrainingLog(string csvPath, string jsonlPath, List<TrainingLogRow> rows)
    {
        CsvPath = csvPath;
        JsonlPath = jsonlPath;
        this.rows = rows;
    }

    /// <summary>Path of <c>log.csv</c>.</summary>
    public string CsvPath { get; }

    /// <summary>Path of <c>log.jsonl</c>.</summary>
    public string JsonlPath { get; }

    /// <summary>Every row of the run so far, earlier sessions included.</summary>
    public IReadOnlyList<TrainingLogRow> Rows => rows;

    /// <summary>Starts an empty log, replacing any earlier one.</summary>
    public static TrainingLog Create(string csvPath, string jsonlPath)
    {
        AtomicFile.WriteAllText(csvPath, CsvHeader + "\n");
        AtomicFile.WriteAllText(jsonlPath, "");
        return new TrainingLog(csvPath, jsonlPath, []);
    }

    /// <summary>
    /// Reopens the log of a run resumed at <paramref name="step"/>: rows after that step are
    /// dropped from both files (rewritten atomically). Missing files start empty.
    /// </summary>
    public static TrainingLog Resume(string csvPath, string jsonlPath, long step)
    {
        var kept = (File.Exists(csvPath) ? ReadCsv(csvPath) : []).Where(r => r.Step <= step).ToList();
        var csv = new StringBuilder(CsvHeader + "\n");
        var jsonl = new StringBuilder();
        foreach (var row in kept)
        {
            csv.Append(CsvLine(row));
            jsonl.Append(JsonLine(row));
        }
        AtomicFile.WriteAllText(csvPath, csv.ToString());
        AtomicFile.WriteAllText(jsonlPath, jsonl.ToString());
        return new TrainingLog(csvPath, jsonlPath, kept);
    }

    /// <summary>Appends <paramref name="row"/> to both files; timings are rounded to milliseconds first, so both files hold the same values.</summary>
    public void Append(TrainingLogRow row)
    {
        row = row with { Seconds = Math.Round(row.Seconds, 3), ItemsPerSecond = Math.Round(row.ItemsPerSecond, 3) };
        File.AppendAllText(CsvPath, CsvLine(row));
        File.AppendAllText(JsonlPath, JsonLine(row));
        rows.Add(row);
    }

    /// <summary>Reads <c>log.csv</c>; a malformed line is a <see cref="UserInputException"/> naming the file and line.</summary>
    public static List<TrainingLogRow> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != CsvHeader)
            throw new UserInputException($"{path}: not a training log (expected the header '{CsvHeader}')");
        var result = new List<TrainingLogRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 6
                || !long.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
                || !TryDoubles(f.AsSpan(1), out var values))
                throw new UserInputException($"{path}: line {i + 1} is not a log row: '{lines[i]}'");
            result.Add(new TrainingLogRow(step, values[0], values[1], values[2], values[3], values[4]));
        }
        return result;
    }

    /// <summary>Reads <c>log.jsonl</c>.</summary>
    public static List<TrainingLogRow> ReadJsonl(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<TrainingLogRow>(l, JsonlOptions)
                ?? throw new UserInputException($"{path}: null row"))
            .ToList();

    private static bool TryDoubles(ReadOnlySpan<string> fields, out double[] values)
    {
        values = new double[fields.Length];
        for (int i = 0; i < fields.Length; i++)
            if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                return false;
        return true;
    }

    private static string CsvLine(TrainingLogRow r) => string.Join(',',
        r.Step.ToString(CultureInfo.InvariantCulture), Number(r.Loss), Number(r.Lr), Number(r.GradNorm),
        Number(r.Seconds), Number(r.ItemsPerSecond)) + "\n";

    private static string JsonLine(TrainingLogRow r) => JsonSerializer.Serialize(r, JsonlOptions) + "\n";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
