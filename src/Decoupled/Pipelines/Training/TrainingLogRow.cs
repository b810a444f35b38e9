namespace Decoupled.Pipelines.Training;

/// <summary>One row of <c>RUN/log.csv</c> and <c>RUN/log.jsonl</c>.</summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Loss">The loss of that step (not an average), so a resumed log matches an uninterrupted one.</param>
/// <param name="Lr">The learning rate the step used.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Seconds">Wall-clock training seconds since the run began, summed over resumed sessions.</param>
/// <param name="ItemsPerSecond">Training items per second since the previous row.</param>
public sealed record TrainingLogRow(long Step, double Loss, double Lr, double GradNorm, double Seconds, double ItemsPerSecond);
