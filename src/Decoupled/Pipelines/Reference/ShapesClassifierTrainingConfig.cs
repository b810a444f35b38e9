using Decoupled.Metrics.Reference;
using Decoupled.Pipelines.Checkpoints;

namespace Decoupled.Pipelines.Reference;

/// <summary>A trained reference classifier's checkpoint config: the network, and the data and classes it learned.</summary>
public sealed record ShapesClassifierTrainingConfig : IModelConfig
{
    /// <summary>The model type stored in checkpoints.</summary>
    public const string Type = "shapes-classifier";

    /// <inheritdoc />
    public string ModelType { get; init; } = Type;

    /// <summary>The network, with the clip size it scores.</summary>
    public required ShapesClassifierConfig Classifier { get; init; }

    /// <summary>Class names in id order (the shapes actions).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Training data, for reports.</summary>
    public string Dataset { get; init; } = "shapes";
}
