namespace Decoupled.Generators.Diffusion;

/// <summary>
/// Everything that fixes a noise schedule, as a plain record so it can live in a model's
/// <c>config.json</c> (snake_case through <see cref="Decoupled.IO.JsonFile.Options"/>).
/// </summary>
/// <param name="Kind">Linear or cosine betas.</param>
/// <param name="TrainSteps">T, the number of forward-process steps.</param>
/// <param name="BetaStart">First beta of the linear schedule.</param>
/// <param name="BetaEnd">Last beta of the linear schedule.</param>
/// <param name="CosineOffset">s of the cosine schedule; keeps beta_1 from vanishing near t = 0.</param>
/// <param name="MaxBeta">Upper clip of every beta; the cosine schedule's last beta would otherwise be 1.</param>
public sealed record NoiseScheduleConfig(
    NoiseScheduleKind Kind = NoiseScheduleKind.Linear,
    int TrainSteps = 1000,
    double BetaStart = 1e-4,
    double BetaEnd = 0.02,
    double CosineOffset = 0.008,
    double MaxBeta = 0.999)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that cannot make a schedule.</summary>
    public void Validate()
    {
        if (TrainSteps < 1)
            throw new ArgumentException($"train_steps must be at least 1, got {TrainSteps}.");
        if (!(MaxBeta > 0 && MaxBeta < 1))
            throw new ArgumentException($"max_beta must lie in (0, 1), got {MaxBeta}.");
        if (Kind == NoiseScheduleKind.Linear)
        {
            if (!(BetaStart > 0 && BetaStart <= BetaEnd && BetaEnd < 1))
                throw new ArgumentException($"linear betas need 0 < beta_start <= beta_end < 1, got {BetaStart}..{BetaEnd}.");
        }
        else if (!(CosineOffset >= 0 && double.IsFinite(CosineOffset)))
        {
            throw new ArgumentException($"cosine_offset must be a finite number >= 0, got {CosineOffset}.");
        }
    }
}
