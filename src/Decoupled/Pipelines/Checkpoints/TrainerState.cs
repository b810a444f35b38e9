namespace Decoupled.Pipelines.Checkpoints;

/// <summary>
/// The loop's own position, saved beside the optimizer state for an exact resume. Data order and
/// any other randomness outside torch should be derived from (<see cref="Seed"/>, <see cref="Step"/>),
/// since .NET's <see cref="Random"/> cannot be saved.
/// </summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Seed">The run's <c>--seed</c>.</param>
public sealed record TrainerState(long Step, long Seed)
{
    /// <summary>Further values a trainer wants back on resume (e.g. the best loss so far), as text.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>What a checkpoint needs, besides the weights, to continue training exactly.</summary>
/// <param name="Optimizer">The run's optimizer (one of TorchSharp's managed optimizers, e.g. AdamW).</param>
/// <param name="State">The loop's position.</param>
public sealed record TrainingSnapshot(TorchSharp.torch.optim.Optimizer Optimizer, TrainerState State);
