namespace Decoupled.Pipelines.Training;

/// <summary>The learning rate of each step: linear warm-up, then constant or cosine decay.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// The rate for the step with 0-based index <paramref name="step"/>. Warm-up steps climb
    /// linearly to the peak and reach it on the last warm-up step (<c>lr * (step + 1) / warmup</c>),
    /// so the first step already moves; cosine decay then falls to the minimum at the last step.
    /// </summary>
    public static double At(TrainingOptions options, long step)
    {
        if (step < options.WarmupSteps)
            return options.LearningRate * (step + 1) / options.WarmupSteps;
        if (options.Decay == LearningRateDecay.Constant)
            return options.LearningRate;
        long decaySteps = options.Steps - options.WarmupSteps;
        if (decaySteps <= 1)
            return options.LearningRate;
        double progress = Math.Min(1.0, (double)(step - options.WarmupSteps) / (decaySteps - 1));
        return options.MinLearningRate + 0.5 * (options.LearningRate - options.MinLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }
}
