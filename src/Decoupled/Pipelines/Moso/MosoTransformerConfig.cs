using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// A MOSO-Transformer checkpoint's config: the transformers, the frozen MOSO-VQVAE they model
/// (its weights ride in the same checkpoint), and the tasks it was trained for.
/// </summary>
public sealed record MosoTransformerConfig : IModelConfig
{
    /// <summary>The model type stored in checkpoints.</summary>
    public const string Type = "moso-transformer";

    /// <inheritdoc />
    public string ModelType { get; init; } = Type;

    /// <summary>TransformerSO/G and TransformerM.</summary>
    public required MosoTransformerNetConfig Net { get; init; }

    /// <summary>The MOSO-VQVAE whose tokens are modelled.</summary>
    public required MosoVqVaeTrainingConfig VqVae { get; init; }

    /// <summary>Given frames of the prediction task, K (a multiple of the motion encoder's working pool).</summary>
    public int ContextFrames { get; init; } = 2;

    /// <summary>Trailing given frames of the interpolation task.</summary>
    public int EndFrames { get; init; } = 2;

    /// <summary>Share of training rows that practise prediction.</summary>
    public double PredictionShare { get; init; } = 0.7;

    /// <summary>Share of training rows that practise interpolation.</summary>
    public double InterpolationShare { get; init; } = 0.15;

    /// <summary>Share of training rows that practise unconditional generation.</summary>
    public double UnconditionalShare { get; init; } = 0.15;

    /// <summary>Training data ("shapes" or a folder path), for reports.</summary>
    public string Dataset { get; init; } = "shapes";

    /// <summary>The run whose transformer weights this one started from (fine-tuning; null: random initialisation).</summary>
    public string? InitialisedFrom { get; init; }

    /// <summary>Throws <see cref="UserInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        var shares = new[] { PredictionShare, InterpolationShare, UnconditionalShare };
        if (shares.Any(s => !(s >= 0)) || !(shares.Sum() > 0))
            throw new UserInputException($"task shares must be >= 0 and not all 0, got prediction {PredictionShare}, interpolation {InterpolationShare}, unconditional {UnconditionalShare}");
        Layout(MosoTask.Prediction);
        if (InterpolationShare > 0) Layout(MosoTask.Interpolation);
        if (Net.Decomposed != VqVae.Net.Decomposed)
            throw new UserInputException("the transformer and the VQ-VAE must both be decomposed or both be the non-decomposed ablation");
    }

    /// <summary>The task of a training row, given a uniform draw <paramref name="u"/> in [0, 1).</summary>
    public MosoTask TaskFor(double u)
    {
        double total = PredictionShare + InterpolationShare + UnconditionalShare;
        double x = u * total;
        if (x < PredictionShare) return MosoTask.Prediction;
        return x < PredictionShare + InterpolationShare ? MosoTask.Interpolation : MosoTask.Unconditional;
    }

    /// <summary>The frame layout of <paramref name="task"/> for this model.</summary>
    public MosoTaskLayout Layout(MosoTask task) =>
        MosoTaskLayout.Create(task, VqVae.Frames, ContextFrames, EndFrames, VqVae.Net.MotionPool);
}
