using System.Globalization;
using System.Text.Json;

namespace Decoupled.Video.Datasets.Shapes;

/// <summary>Writes dataset labels as JSON (with the action list and trajectories) or CSV (one flat row per clip).</summary>
public static class ShapesLabelWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>The CSV header line, matching <see cref="CsvRow"/>.</summary>
    public const string CsvHeader = "file,index,split,class_id,action,caption,subject_id,subject,shape,colour,texture,frames,height,width,seed";

    /// <summary>
    /// Writes <c>{"dataset": "shapes", "actions": [{id, name, phrase}...], "clips": [label...]}</c>
    /// to <paramref name="stream"/> (UTF-8, snake_case keys).
    /// </summary>
    public static void WriteJson(Stream stream, IEnumerable<ShapesLabel> labels)
    {
        var document = new
        {
            Dataset = "shapes",
            Actions = ShapeAction.All.Select(a => new { a.Id, a.Name, a.Phrase }).ToArray(),
            Clips = labels.ToArray(),
        };
        JsonSerializer.Serialize(stream, document, Json);
    }

    /// <summary>Writes <see cref="CsvHeader"/> and one <see cref="CsvRow"/> per label.</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<ShapesLabel> labels)
    {
        writer.Write(CsvHeader);
        writer.Write('\n');
        foreach (var label in labels)
        {
            writer.Write(CsvRow(label));
            writer.Write('\n');
        }
    }

    /// <summary>One CSV line (no newline) for <paramref name="label"/>; fields with commas or quotes are quoted.</summary>
    public static string CsvRow(ShapesLabel label)
    {
        var c = CultureInfo.InvariantCulture;
        string[] fields =
        [
            label.File, label.Index.ToString(c), label.Split, label.ClassId.ToString(c), label.Action, label.Caption,
            label.SubjectId.ToString(c), label.Subject, label.Shape, label.Colour, label.Texture,
            label.Frames.ToString(c), label.Height.ToString(c), label.Width.ToString(c), label.Seed.ToString(c),
        ];
        return string.Join(',', fields.Select(Quote));
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
