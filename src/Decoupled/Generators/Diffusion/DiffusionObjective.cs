using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// The training objective of equation 6 (ED-VDM): E_{t ~ U, x_0, eps} [lambda(t) || target - f_theta(x_t, t, c) ||^2],
/// with eps as the default target. The network stays outside: callers noise a batch with
/// <see cref="Prepare(Tensor, Generator?)"/>, run their model on <see cref="DiffusionTrainingBatch.NoisySample"/>,
/// and score its output with <see cref="Loss(Tensor, DiffusionTrainingBatch, IReadOnlyList{double}, Tensor)"/>.
/// </summary>
public sealed class DiffusionObjective
{
    private readonly double[] weights;

    /// <summary>An objective over <paramref name="schedule"/> for a network that predicts <paramref name="prediction"/>.</summary>
    public DiffusionObjective(NoiseSchedule schedule, PredictionType prediction = PredictionType.Epsilon, LossWeighting? weighting = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        Prediction = prediction;
        Weighting = weighting ?? LossWeighting.Uniform;
        weights = Weighting.Table(schedule, prediction);
    }

    /// <summary>The noise schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>What the network predicts.</summary>
    public PredictionType Prediction { get; }

    /// <summary>lambda(t).</summary>
    public LossWeighting Weighting { get; }

    /// <summary>lambda(t) for every timestep, as the loss applies it.</summary>
    public IReadOnlyList<double> Weights => Array.AsReadOnly(weights);

    /// <summary>t ~ U{0..T-1}, one per batch item, as a long tensor <c>[batch]</c>.</summary>
    public Tensor SampleTimesteps(long batch, Generator? generator = null, Device? device = null)
    {
        if (batch < 1) throw new ArgumentException($"batch must be at least 1, got {batch}.", nameof(batch));
        return torch.randint(0, Schedule.TrainSteps, [batch], dtype: ScalarType.Int64, device: device, generator: generator);
    }

    /// <summary>Draws t uniformly and eps ~ N(0, I) from <paramref name="generator"/> (or the global one) and noises <paramref name="x0"/>.</summary>
    public DiffusionTrainingBatch Prepare(Tensor x0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x0);
        var t = SampleTimesteps(x0.shape[0], generator, x0.device);
        var noise = torch.randn(x0.shape, dtype: x0.dtype, device: x0.device, generator: generator);
        return Prepare(x0, t, noise);
    }

    /// <summary>Noises <paramref name="x0"/> with the given timesteps and noise (VideoFusion passes its decomposed noise here).</summary>
    public DiffusionTrainingBatch Prepare(Tensor x0, Tensor t, Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(noise);
        var xt = Schedule.AddNoise(x0, noise, t);
        using var scope = torch.NewDisposeScope();
        var alphaBar = Schedule.Extract(Schedule.AlphaBar, t, x0);
        var target = Parameterization.Target(Prediction, x0, noise, alphaBar).MoveToOuterDisposeScope();
        return new DiffusionTrainingBatch(t, noise, xt, target);
    }

    /// <summary>
    /// mean_b lambda(t_b) mean_{c,...}(target - output)^2: the squared error averaged over each
    /// item's elements, weighted per item, then averaged over the batch. <paramref name="channelWeights"/>
    /// (one per channel, dimension 1) weighs the channels inside that average; they are divided by
    /// their mean, so the loss keeps its scale and weights of all 1 give the plain objective.
    /// <paramref name="elementWeights"/> (non-negative, broadcastable to the output; for example one
    /// weight per position) weighs the elements as well, divided by its mean over the batch for the
    /// same reason.
    /// </summary>
    public Tensor Loss(Tensor modelOutput, DiffusionTrainingBatch batch, IReadOnlyList<double>? channelWeights = null, Tensor? elementWeights = null)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(batch);
        ForwardProcess.CheckSameShape(batch.Target, modelOutput, nameof(modelOutput));
        using var scope = torch.NewDisposeScope();
        var squared = (modelOutput - batch.Target).square();
        if (channelWeights is not null) squared = squared * ChannelWeightTensor(channelWeights, squared);
        if (elementWeights is not null) squared = squared * NormalisedElementWeights(elementWeights, squared);
        var perItem = squared.reshape(squared.shape[0], -1).mean([1]);
        var lambda = Schedule.Extract(weights, batch.Timesteps, perItem);
        return (lambda * perItem).mean().MoveToOuterDisposeScope();
    }

    private static Tensor NormalisedElementWeights(Tensor elementWeights, Tensor like)
    {
        var expanded = elementWeights.to(like.dtype).expand(like.shape);
        var mean = expanded.mean();
        float meanValue = mean.item<float>();
        if (!(expanded.min().item<float>() >= 0) || !(meanValue > 0) || !float.IsFinite(meanValue))
            throw new ArgumentException("element weights must be finite, non-negative and not all zero", nameof(elementWeights));
        return expanded / mean;
    }

    private static Tensor ChannelWeightTensor(IReadOnlyList<double> channelWeights, Tensor like)
    {
        if (like.dim() < 2 || channelWeights.Count != like.shape[1])
            throw new ArgumentException($"{channelWeights.Count} channel weights for an output of shape [{string.Join(", ", like.shape)}]", nameof(channelWeights));
        if (channelWeights.Any(w => !(w >= 0 && double.IsFinite(w))) || channelWeights.Sum() <= 0)
            throw new ArgumentException("channel weights must be finite, non-negative and not all zero", nameof(channelWeights));
        double mean = channelWeights.Average();
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[1] = channelWeights.Count;
        return torch.tensor(channelWeights.Select(w => (float)(w / mean)).ToArray(), dtype: like.dtype, device: like.device).reshape(shape);
    }

    /// <summary>One call for the common case: noise <paramref name="x0"/>, run <paramref name="model"/>(x_t, t), return the loss.</summary>
    public Tensor Loss(Func<Tensor, Tensor, Tensor> model, Tensor x0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = torch.NewDisposeScope();
        var batch = Prepare(x0, generator);
        return Loss(model(batch.NoisySample, batch.Timesteps), batch).MoveToOuterDisposeScope();
    }
}
