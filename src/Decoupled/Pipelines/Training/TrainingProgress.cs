namespace Decoupled.Pipelines.Training;

/// <summary>Raised after every step by <see cref="Trainer{TBatch}.Progress"/>; the CLI renders it as a progress bar.</summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Steps">Steps of the whole run.</param>
/// <param name="Loss">The step's loss.</param>
/// <param name="LearningRate">The step's learning rate.</param>
/// <param name="StepsPerSecond">Average rate of this session (resumed steps excluded).</param>
/// <param name="ItemsPerSecond"><paramref name="StepsPerSecond"/> times the batch size.</param>
/// <param name="Elapsed">Wall-clock time of this session.</param>
/// <param name="Eta">Estimated time to <paramref name="Steps"/> at the current rate.</param>
public sealed record TrainingProgress(long Step, long Steps, double Loss, double LearningRate,
    double StepsPerSecond, double ItemsPerSecond, TimeSpan Elapsed, TimeSpan Eta);
