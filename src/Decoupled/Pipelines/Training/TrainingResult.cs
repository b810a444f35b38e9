namespace Decoupled.Pipelines.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingStatus
{
    /// <summary>All steps done; the final checkpoint is written.</summary>
    Completed,

    /// <summary><see cref="TrainingOptions.MaxSeconds"/> passed; a checkpoint of the last step is written (resume to go on).</summary>
    TimeLimit,

    /// <summary>The caller cancelled; a checkpoint of the last step is written (resume to go on).</summary>
    Cancelled,

    /// <summary>A non-finite loss or gradient norm; nothing was saved from the broken state.</summary>
    Diverged,
}

/// <summary>What <see cref="Trainer{TBatch}.Run"/> reports; the CLI writes it to <c>--json</c>.</summary>
/// <param name="Status">How the run ended.</param>
/// <param name="Step">Steps completed in total, skipped non-finite ones included (for <see cref="TrainingStatus.Diverged"/>: those before the failing step).</param>
/// <param name="StepsThisSession">Steps trained by this call (a resumed run counts from its checkpoint).</param>
/// <param name="FinalLoss">Loss of the last good step; null when none ran.</param>
/// <param name="Seconds">Wall-clock seconds of this call.</param>
/// <param name="Checkpoint">The run's checkpoint folder; null when none has been written.</param>
/// <param name="CheckpointStep">The step that checkpoint holds; null when none has been written.</param>
/// <param name="Message">One line on how it ended (names the step for <see cref="TrainingStatus.Diverged"/>).</param>
public sealed record TrainingResult(TrainingStatus Status, long Step, long StepsThisSession, double? FinalLoss,
    double Seconds, string? Checkpoint, long? CheckpointStep, string Message);
