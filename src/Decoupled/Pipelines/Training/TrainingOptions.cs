namespace Decoupled.Pipelines.Training;

/// <summary>How the learning rate moves after the warm-up.</summary>
public enum LearningRateDecay
{
    /// <summary>Stays at <see cref="TrainingOptions.LearningRate"/>.</summary>
    Constant,

    /// <summary>Half a cosine from <see cref="TrainingOptions.LearningRate"/> down to <see cref="TrainingOptions.MinLearningRate"/> at the last step.</summary>
    Cosine,
}

/// <summary>
/// Everything the <see cref="Trainer{TBatch}"/> needs to know, with defaults that suit a small
/// diffusion model. A plain record: it is saved with every checkpoint (<c>trainer_state.json</c>,
/// extra field <c>options</c>) so a run folder tells how it was trained.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Optimizer steps of the whole run (a resumed run continues up to this step).</summary>
    public long Steps { get; init; } = 10_000;

    /// <summary>Items per step. The trainer only reports it (items/s); the batch source uses it.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Peak AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Where <see cref="LearningRateDecay.Cosine"/> ends.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Steps of linear warm-up from 0 to <see cref="LearningRate"/>; 0 for none.</summary>
    public long WarmupSteps { get; init; } = 500;

    /// <summary>The schedule after the warm-up.</summary>
    public LearningRateDecay Decay { get; init; } = LearningRateDecay.Constant;

    /// <summary>AdamW's beta1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW's beta2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradients are scaled so their global L2 norm is at most this; null to leave them alone.</summary>
    public double? GradientClipNorm { get; init; } = 1.0;

    /// <summary>Decay of the exponential moving average of the weights; null for no EMA.</summary>
    public double? EmaDecay { get; init; } = 0.999;

    /// <summary>Before this step the EMA simply copies the weights (early weights are not worth averaging).</summary>
    public long EmaStartStep { get; init; }

    /// <summary>The run's seed: weights, data order and noise all derive from it (see <see cref="StepRandom"/>).</summary>
    public long Seed { get; init; }

    /// <summary>Write <c>RUN/checkpoint</c> every this many steps (and always at the end); 0 only at the end.</summary>
    public long CheckpointEvery { get; init; } = 1000;

    /// <summary>Call <see cref="ITrainableModel{TBatch}.Preview"/> every this many steps; 0 never.</summary>
    public long PreviewEvery { get; init; }

    /// <summary>Write a row to the logs every this many steps (the last step is always logged).</summary>
    public long LogEvery { get; init; } = 10;

    /// <summary>
    /// How many non-finite steps in a row are skipped (no update: the weights stay the last good
    /// ones) before the run stops as diverged. 0: the first non-finite loss or gradient norm stops it.
    /// </summary>
    public int SkipNonFiniteSteps { get; init; }

    /// <summary>
    /// Runs forward passes under CPU autocast to bfloat16 (fp32 master weights, optimizer and
    /// gradients). Forward passes get about 4x faster on an AVX-512 bf16 CPU, but backward passes
    /// run with oneDNN off (<see cref="Runtime.TorchRuntime.Backward"/>), where libtorch's bf16
    /// matrix products fall back to slow reference kernels: it helps convolution-heavy models a
    /// little and slows linear-heavy ones. Off by default; see <see cref="Bf16Autocast"/>.
    /// </summary>
    public bool Bf16 { get; init; }

    /// <summary>Stop cleanly, with a checkpoint, once this much wall-clock time has passed in this process; null for no limit.</summary>
    public double? MaxSeconds { get; init; }

    /// <summary>Rejects values that cannot train, with a <see cref="UserInputException"/> naming the option.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new UserInputException($"training options: {message}");
        }
        Require(Steps > 0, $"steps must be positive (got {Steps})");
        Require(BatchSize > 0, $"batch size must be positive (got {BatchSize})");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"learning rate must be positive (got {LearningRate})");
        Require(MinLearningRate >= 0 && MinLearningRate <= LearningRate, $"min learning rate must lie in [0, learning rate] (got {MinLearningRate})");
        Require(WarmupSteps >= 0, $"warm-up steps must not be negative (got {WarmupSteps})");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, $"betas must lie in [0, 1) (got {Beta1}, {Beta2})");
        Require(WeightDecay >= 0, $"weight decay must not be negative (got {WeightDecay})");
        Require(GradientClipNorm is null or > 0, $"gradient clip norm must be positive (got {GradientClipNorm})");
        Require(EmaDecay is null or (>= 0 and < 1), $"EMA decay must lie in [0, 1) (got {EmaDecay})");
        Require(EmaStartStep >= 0, $"EMA start step must not be negative (got {EmaStartStep})");
        Require(CheckpointEvery >= 0 && PreviewEvery >= 0 && LogEvery >= 0, "checkpoint, preview and log intervals must not be negative");
        Require(SkipNonFiniteSteps >= 0, $"skipped non-finite steps must not be negative (got {SkipNonFiniteSteps})");
        Require(MaxSeconds is null or > 0, $"max seconds must be positive (got {MaxSeconds})");
    }
}
