using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// What DDPM and DDIM share: the plan of timesteps, argument checks, turning the network output
/// into x_0 and eps, and the fresh noise of a step. Subclasses write only the update rule.
/// </summary>
public abstract class DiffusionSampler : IDiffusionSampler
{
    private long[] timesteps = [];
    private Dictionary<long, int> positions = [];

    /// <summary>A sampler over <paramref name="schedule"/>, planned for all T steps.</summary>
    protected DiffusionSampler(NoiseSchedule schedule, SamplerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        Options = options ?? new SamplerOptions();
        Options.Validate();
        SetTimesteps(schedule.TrainSteps);
    }

    /// <inheritdoc/>
    public NoiseSchedule Schedule { get; }

    /// <inheritdoc/>
    public SamplerOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<long> Timesteps => timesteps;

    /// <inheritdoc/>
    public void SetTimesteps(int steps)
    {
        timesteps = SamplingTimesteps.Make(Options.Spacing, Schedule.TrainSteps, steps);
        positions = new Dictionary<long, int>(timesteps.Length);
        for (int i = 0; i < timesteps.Length; i++) positions[timesteps[i]] = i;
    }

    /// <inheritdoc/>
    public long PreviousTimestep(long t)
    {
        int index = PositionOf(t);
        return index + 1 < timesteps.Length ? timesteps[index + 1] : -1;
    }

    /// <summary>
    /// Variance of q(x_prev | x_t, x_0) for the jump from <paramref name="t"/> to its previous planned
    /// timestep: (1 - alphaBar_prev) / (1 - alphaBar_t) * beta'_t with the respaced beta'_t =
    /// 1 - alphaBar_t / alphaBar_prev. With all T steps this is the schedule's posterior variance.
    /// </summary>
    public double PosteriorVariance(long t)
    {
        double alphaBarT = Schedule.AlphaBarAt(t);
        double alphaBarPrev = Schedule.AlphaBarAt(PreviousTimestep(t));
        return (1.0 - alphaBarPrev) / (1.0 - alphaBarT) * (1.0 - alphaBarT / alphaBarPrev);
    }

    /// <inheritdoc/>
    public SamplerStepResult Step(Tensor modelOutput, long t, Tensor sample, double eta = 0.0, Tensor? noise = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        CheckEta(eta);
        ForwardProcess.CheckSameShape(sample, modelOutput, nameof(modelOutput));
        if (noise is not null) ForwardProcess.CheckSameShape(sample, noise, nameof(noise));
        long previous = PreviousTimestep(t);

        using var scope = torch.NewDisposeScope();
        var (x0, epsilon) = PredictX0AndEpsilon(modelOutput, sample, Schedule.AlphaBarAt(t));
        var result = StepCore(x0, epsilon, t, previous, sample, eta, noise, generator);
        return new SamplerStepResult(result.MoveToOuterDisposeScope(), x0.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The update rule: x_prev from the predicted x_0 and eps (consistent with each other and x_t).
    /// Call <see cref="FreshNoise"/> for the noise term.
    /// </summary>
    protected abstract Tensor StepCore(Tensor x0, Tensor epsilon, long t, long previous, Tensor sample, double eta, Tensor? noise, Generator? generator);

    /// <summary>The caller's noise when given, else a standard normal draw shaped like <paramref name="sample"/>.</summary>
    protected static Tensor FreshNoise(Tensor sample, Tensor? noise, Generator? generator) =>
        noise?.alias() ?? torch.randn(sample.shape, dtype: sample.dtype, device: sample.device, generator: generator);

    /// <summary>Throws <see cref="ArgumentException"/> unless 0 &lt;= eta &lt;= 1.</summary>
    protected static void CheckEta(double eta)
    {
        if (!(eta >= 0.0 && eta <= 1.0))
            throw new ArgumentException($"eta must lie in [0, 1], got {eta}.", nameof(eta));
    }

    private int PositionOf(long t)
    {
        Schedule.CheckTimestep(t);
        if (!positions.TryGetValue(t, out int index))
            throw new ArgumentException($"timestep {t} is not one of the {timesteps.Length} planned by SetTimesteps.", nameof(t));
        return index;
    }

    // With clipping on, eps is re-derived from the clipped x_0 (as improved DDPM does) so that
    // x_0, eps and x_t stay on one line; otherwise the network's own eps is used untouched.
    private (Tensor X0, Tensor Epsilon) PredictX0AndEpsilon(Tensor modelOutput, Tensor sample, double alphaBarT)
    {
        var alphaBar = torch.tensor(alphaBarT, dtype: ScalarType.Float64, device: sample.device);
        var x0 = Parameterization.ToX0(Options.Prediction, modelOutput, sample, alphaBar);
        if (!Options.ClipSample)
            return (x0, Parameterization.ToEpsilon(Options.Prediction, modelOutput, sample, alphaBar));
        x0 = x0.clamp(-Options.ClipRange, Options.ClipRange);
        return (x0, Parameterization.EpsilonFromX0(sample, x0, alphaBar));
    }
}
