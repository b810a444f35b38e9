namespace Decoupled.Generators.Diffusion;

/// <summary>Named choices for lambda(t) in equation 6.</summary>
public enum LossWeightingKind
{
    /// <summary>lambda(t) = 1: the "simple" objective of Ho et al.</summary>
    Uniform,

    /// <summary>Min-SNR-gamma (Hang et al. 2023): the x_0 loss weighted by min(SNR_t, gamma), written in the network's own parameterization.</summary>
    MinSnr,

    /// <summary>One weight per timestep, given in <see cref="LossWeighting.Weights"/>.</summary>
    PerTimestep,
}

/// <summary>
/// The per-timestep weight lambda(t) of the objective (equation 6 of ED-VDM), as a record that
/// a training config can hold.
/// </summary>
/// <param name="Kind">Which scheme.</param>
/// <param name="Gamma">The SNR clip of <see cref="LossWeightingKind.MinSnr"/> (5 in the paper).</param>
/// <param name="Weights">T weights for <see cref="LossWeightingKind.PerTimestep"/>; null otherwise.</param>
public sealed record LossWeighting(LossWeightingKind Kind = LossWeightingKind.Uniform, double Gamma = 5.0, double[]? Weights = null)
{
    /// <summary>lambda(t) = 1.</summary>
    public static LossWeighting Uniform { get; } = new();

    /// <summary>Min-SNR-gamma weighting.</summary>
    public static LossWeighting MinSnr(double gamma = 5.0) => new(LossWeightingKind.MinSnr, gamma);

    /// <summary>An explicit weight for every timestep 0..T-1.</summary>
    public static LossWeighting PerTimestep(double[] weights) => new(LossWeightingKind.PerTimestep, Weights: weights);

    /// <summary>
    /// lambda(t) for every timestep of <paramref name="schedule"/> when the network predicts
    /// <paramref name="prediction"/>. For min-SNR the weight that makes each parameterization's
    /// loss equal min(SNR, gamma) times the x_0 loss: eps loss = SNR x_0 loss and
    /// v loss = (SNR + 1) x_0 loss, hence min(SNR, gamma)/SNR and min(SNR, gamma)/(SNR + 1).
    /// </summary>
    public double[] Table(NoiseSchedule schedule, PredictionType prediction)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        int steps = schedule.TrainSteps;
        var table = new double[steps];
        switch (Kind)
        {
            case LossWeightingKind.Uniform:
                Array.Fill(table, 1.0);
                break;
            case LossWeightingKind.MinSnr:
                if (!(Gamma > 0 && double.IsFinite(Gamma)))
                    throw new ArgumentException($"min-SNR gamma must be a finite number > 0, got {Gamma}.");
                for (int t = 0; t < steps; t++)
                {
                    double snr = schedule.SignalToNoise(t);
                    double clipped = Math.Min(snr, Gamma);
                    table[t] = prediction switch
                    {
                        PredictionType.Epsilon => clipped / snr,
                        PredictionType.Velocity => clipped / (snr + 1.0),
                        _ => clipped,
                    };
                }
                break;
            case LossWeightingKind.PerTimestep:
                if (Weights is null || Weights.Length != steps)
                    throw new ArgumentException($"per-timestep weighting needs {steps} weights, got {Weights?.Length ?? 0}.");
                if (Weights.Any(w => !(w >= 0 && double.IsFinite(w))))
                    throw new ArgumentException("per-timestep weights must be finite and >= 0.");
                Array.Copy(Weights, table, steps);
                break;
            default:
                throw new ArgumentException($"unknown loss weighting {Kind}.");
        }
        return table;
    }
}
