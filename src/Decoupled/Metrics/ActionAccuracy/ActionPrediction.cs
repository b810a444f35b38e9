using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>The classifier's verdict on one clip.</summary>
/// <param name="ActionId">Predicted action id, or <see cref="None"/> when no object or no motion was seen.</param>
/// <param name="Confidence">0..1: object presence x motion strength x margin over the other motion families (x direction clarity for moves); 0 for <see cref="None"/>.</param>
/// <param name="Evidence">The measurements the verdict was drawn from.</param>
public sealed record ActionPrediction(int ActionId, double Confidence, MotionEvidence Evidence)
{
    /// <summary>The id given when no action can be recognised.</summary>
    public const int None = -1;

    /// <summary>Confidence at and above which a prediction counts as confident.</summary>
    public const double ConfidentThreshold = 0.5;

    /// <summary>The predicted action, or null for <see cref="None"/>.</summary>
    public ShapeAction? Action => ActionId == None ? null : ShapeAction.FromId(ActionId);

    /// <summary>Whether <see cref="Confidence"/> reaches <see cref="ConfidentThreshold"/>.</summary>
    public bool IsConfident => Confidence >= ConfidentThreshold;

    /// <inheritdoc />
    public override string ToString() => $"{Action?.Name ?? "none"} ({Confidence:0.00})";
}
