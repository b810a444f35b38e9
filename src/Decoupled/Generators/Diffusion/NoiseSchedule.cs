namespace Decoupled.Generators.Diffusion;

/// <summary>
/// The constants of the forward process q(x_t | x_{t-1}) = N(sqrt(alpha_t) x_{t-1}, beta_t I)
/// (equation 1 of ED-VDM) and of its posterior q(x_{t-1} | x_t, x_0) (equations 3-4).
/// <para>
/// Index t of every table runs 0..T-1 and stands for the paper's step t+1; the step before
/// index 0 is the clean sample, where alphaBar is 1. Everything is computed in float64: the
/// cumulative product loses several digits in float32 near t = T.
/// </para>
/// </summary>
public sealed class NoiseSchedule
{
    private readonly double[] betas;
    private readonly double[] alphas;
    private readonly double[] alphaBar;
    private readonly double[] alphaBarPrevious;
    private readonly double[] sqrtAlphaBar;
    private readonly double[] sqrtOneMinusAlphaBar;
    private readonly double[] posteriorVariance;
    private readonly double[] posteriorLogVarianceClipped;
    private readonly double[] posteriorMeanCoefX0;
    private readonly double[] posteriorMeanCoefXt;

    /// <summary>Builds the tables of <paramref name="config"/> (validated first).</summary>
    public NoiseSchedule(NoiseScheduleConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        betas = config.Kind == NoiseScheduleKind.Linear ? LinearBetas(config) : CosineBetas(config);

        int steps = config.TrainSteps;
        alphas = new double[steps];
        alphaBar = new double[steps];
        alphaBarPrevious = new double[steps];
        sqrtAlphaBar = new double[steps];
        sqrtOneMinusAlphaBar = new double[steps];
        posteriorVariance = new double[steps];
        posteriorLogVarianceClipped = new double[steps];
        posteriorMeanCoefX0 = new double[steps];
        posteriorMeanCoefXt = new double[steps];

        double product = 1.0;
        for (int t = 0; t < steps; t++)
        {
            alphas[t] = 1.0 - betas[t];
            alphaBarPrevious[t] = product;
            product *= alphas[t];
            alphaBar[t] = product;
            sqrtAlphaBar[t] = Math.Sqrt(product);
            sqrtOneMinusAlphaBar[t] = Math.Sqrt(1.0 - product);

            // Equation 3: beta~_t = beta_t (1 - alphaBar_{t-1}) / (1 - alphaBar_t).
            posteriorVariance[t] = betas[t] * (1.0 - alphaBarPrevious[t]) / (1.0 - alphaBar[t]);
            // Equation 4: mu~ = coefX0 x_0 + coefXt x_t.
            posteriorMeanCoefX0[t] = betas[t] * Math.Sqrt(alphaBarPrevious[t]) / (1.0 - alphaBar[t]);
            posteriorMeanCoefXt[t] = (1.0 - alphaBarPrevious[t]) * Math.Sqrt(alphas[t]) / (1.0 - alphaBar[t]);
        }

        // The posterior variance is 0 at the first step, so its log is -inf; like improved DDPM,
        // take the log of the next step's variance there instead.
        for (int t = 0; t < steps; t++)
        {
            double variance = t == 0 && steps > 1 ? posteriorVariance[1] : posteriorVariance[t];
            posteriorLogVarianceClipped[t] = Math.Log(Math.Max(variance, double.Epsilon));
        }
    }

    /// <summary>The linear schedule of Ho et al. (defaults 1e-4..0.02, T = 1000).</summary>
    public static NoiseSchedule Linear(int trainSteps = 1000, double betaStart = 1e-4, double betaEnd = 0.02) =>
        new(new NoiseScheduleConfig(NoiseScheduleKind.Linear, trainSteps, betaStart, betaEnd));

    /// <summary>The cosine schedule of Nichol and Dhariwal (s = 0.008, betas clipped at 0.999).</summary>
    public static NoiseSchedule Cosine(int trainSteps = 1000, double offset = 0.008, double maxBeta = 0.999) =>
        new(new NoiseScheduleConfig(NoiseScheduleKind.Cosine, trainSteps, CosineOffset: offset, MaxBeta: maxBeta));

    /// <summary>The record this schedule was built from.</summary>
    public NoiseScheduleConfig Config { get; }

    /// <summary>T, the number of forward-process steps.</summary>
    public int TrainSteps => betas.Length;

    /// <summary>beta_t, the variance each forward step adds.</summary>
    public IReadOnlyList<double> Betas => Array.AsReadOnly(betas);

    /// <summary>alpha_t = 1 - beta_t.</summary>
    public IReadOnlyList<double> Alphas => Array.AsReadOnly(alphas);

    /// <summary>alphaBar_t = prod_{s &lt;= t} alpha_s (equation 2: x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps).</summary>
    public IReadOnlyList<double> AlphaBar => Array.AsReadOnly(alphaBar);

    /// <summary>alphaBar_{t-1}, with 1 before the first step.</summary>
    public IReadOnlyList<double> AlphaBarPrevious => Array.AsReadOnly(alphaBarPrevious);

    /// <summary>sqrt(alphaBar_t), the signal scale of x_t.</summary>
    public IReadOnlyList<double> SqrtAlphaBar => Array.AsReadOnly(sqrtAlphaBar);

    /// <summary>sqrt(1 - alphaBar_t), the noise scale of x_t.</summary>
    public IReadOnlyList<double> SqrtOneMinusAlphaBar => Array.AsReadOnly(sqrtOneMinusAlphaBar);

    /// <summary>beta~_t = beta_t (1 - alphaBar_{t-1}) / (1 - alphaBar_t), the variance of q(x_{t-1} | x_t, x_0).</summary>
    public IReadOnlyList<double> PosteriorVariance => Array.AsReadOnly(posteriorVariance);

    /// <summary>log beta~_t, with the first step's (zero) variance replaced by the second's so the log stays finite.</summary>
    public IReadOnlyList<double> PosteriorLogVarianceClipped => Array.AsReadOnly(posteriorLogVarianceClipped);

    /// <summary>Coefficient of x_0 in the posterior mean: beta_t sqrt(alphaBar_{t-1}) / (1 - alphaBar_t).</summary>
    public IReadOnlyList<double> PosteriorMeanCoefX0 => Array.AsReadOnly(posteriorMeanCoefX0);

    /// <summary>Coefficient of x_t in the posterior mean: (1 - alphaBar_{t-1}) sqrt(alpha_t) / (1 - alphaBar_t).</summary>
    public IReadOnlyList<double> PosteriorMeanCoefXt => Array.AsReadOnly(posteriorMeanCoefXt);

    /// <summary>alphaBar at <paramref name="t"/>, or 1 for t = -1 (the clean sample); used by samplers that skip steps.</summary>
    public double AlphaBarAt(long t)
    {
        if (t == -1) return 1.0;
        CheckTimestep(t);
        return alphaBar[t];
    }

    /// <summary>Signal-to-noise ratio alphaBar_t / (1 - alphaBar_t), the quantity min-SNR weighting clips.</summary>
    public double SignalToNoise(long t)
    {
        CheckTimestep(t);
        return alphaBar[t] / (1.0 - alphaBar[t]);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless 0 &lt;= <paramref name="t"/> &lt; T.</summary>
    public void CheckTimestep(long t)
    {
        if (t < 0 || t >= TrainSteps)
            throw new ArgumentException($"timestep {t} is outside the schedule's range 0..{TrainSteps - 1}.", nameof(t));
    }

    private static double[] LinearBetas(NoiseScheduleConfig config)
    {
        int steps = config.TrainSteps;
        var result = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            double fraction = steps == 1 ? 0.0 : (double)t / (steps - 1);
            result[t] = Math.Min(config.BetaStart + (config.BetaEnd - config.BetaStart) * fraction, config.MaxBeta);
        }
        return result;
    }

    // Nichol and Dhariwal, equation 17: alphaBar(t) = f(t) / f(0), f(t) = cos^2(((t/T + s) / (1 + s)) pi/2),
    // and beta_t = 1 - alphaBar(t) / alphaBar(t-1), clipped so the last step (f(T) = 0) is not pure noise.
    private static double[] CosineBetas(NoiseScheduleConfig config)
    {
        int steps = config.TrainSteps;
        double s = config.CosineOffset;
        double F(double t)
        {
            double c = Math.Cos((t / steps + s) / (1.0 + s) * Math.PI / 2.0);
            return c * c;
        }

        var result = new double[steps];
        for (int t = 0; t < steps; t++)
            result[t] = Math.Min(1.0 - F(t + 1) / F(t), config.MaxBeta);
        return result;
    }
}
