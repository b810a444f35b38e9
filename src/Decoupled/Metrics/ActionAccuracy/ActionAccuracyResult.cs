using System.Globalization;
using System.Text;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// How many clips performed their intended action, with a confusion matrix whose rows are the
/// intended actions and whose columns are the predicted ones plus a last "none" column.
/// </summary>
public sealed class ActionAccuracyResult
{
    /// <summary>Builds the result from per-clip intended and predicted ids.</summary>
    public ActionAccuracyResult(IReadOnlyList<int> intended, IReadOnlyList<ActionPrediction> predictions)
    {
        if (intended.Count != predictions.Count)
            throw new ArgumentException($"{intended.Count} intended actions but {predictions.Count} predictions", nameof(predictions));
        var classes = ShapeAction.All.Count;
        Confusion = new int[classes, classes + 1];
        Predictions = predictions;
        for (var i = 0; i < intended.Count; i++)
        {
            var predicted = predictions[i].ActionId == ActionPrediction.None ? classes : predictions[i].ActionId;
            Confusion[intended[i], predicted]++;
            if (predicted == intended[i]) Correct++;
        }
        Total = intended.Count;
    }

    /// <summary>Number of clips scored.</summary>
    public int Total { get; }

    /// <summary>Clips whose predicted action is the intended one.</summary>
    public int Correct { get; }

    /// <summary>Correct / Total (0 for no clips).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Counts [intended id, predicted id]; the last column counts clips predicted as none.</summary>
    public int[,] Confusion { get; }

    /// <summary>The per-clip predictions, in input order.</summary>
    public IReadOnlyList<ActionPrediction> Predictions { get; }

    /// <summary>Accuracy per intended class (NaN for a class with no clips).</summary>
    public double[] PerClassAccuracy()
    {
        var classes = ShapeAction.All.Count;
        var result = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            var row = 0;
            for (var p = 0; p <= classes; p++) row += Confusion[c, p];
            result[c] = row == 0 ? double.NaN : (double)Confusion[c, c] / row;
        }
        return result;
    }

    /// <summary>The accuracy line followed by the confusion matrix as an aligned text table.</summary>
    public string FormatConfusion()
    {
        var c = CultureInfo.InvariantCulture;
        var names = ShapeAction.All.Select(a => a.Name).Append("none").ToArray();
        var width = names.Max(n => n.Length) + 1;
        var text = new StringBuilder();
        text.Append(c, $"action accuracy {Accuracy:0.0000} ({Correct}/{Total})\n");
        text.Append(new string(' ', width));
        foreach (var n in names) text.Append(n.PadLeft(width));
        text.Append('\n');
        for (var row = 0; row < ShapeAction.All.Count; row++)
        {
            text.Append(names[row].PadRight(width));
            for (var col = 0; col < names.Length; col++) text.Append(Confusion[row, col].ToString(c).PadLeft(width));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"action accuracy {Accuracy:0.0000} ({Correct}/{Total})");
}
