using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// An exponential moving average of a network's weights, kept in a second module of the same
/// architecture so it can be saved (as the checkpoint's <c>ema.safetensors</c>) and sampled from
/// like the network itself. Parameters are averaged; buffers (e.g. normalisation statistics) are copied.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly List<(Tensor Source, Tensor Average)> parameters;
    private readonly List<(Tensor Source, Tensor Average)> buffers;

    /// <summary>Averages <paramref name="source"/> into <paramref name="average"/>, which starts as a copy of it.</summary>
    public ExponentialMovingAverage(nn.Module source, nn.Module average, double decay)
    {
        if (decay is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "EMA decay must lie in [0, 1)");
        Decay = decay;
        Average = average;
        parameters = Pair(source.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), average.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        buffers = Pair(source.named_buffers(), average.named_buffers());
        foreach (var p in average.parameters())
            p.requires_grad = false;
        CopyFromSource();
    }

    /// <summary>The module holding the averaged weights.</summary>
    public nn.Module Average { get; }

    /// <summary>Weight of the old average in each update.</summary>
    public double Decay { get; }

    /// <summary>
    /// <c>average = decay * average + (1 - decay) * source</c> for every parameter (with
    /// <paramref name="decay"/>, or <see cref="Decay"/> when null); buffers are copied.
    /// </summary>
    public void Update(double? decay = null)
    {
        double d = decay ?? Decay;
        using var noGrad = torch.no_grad();
        foreach (var (source, average) in parameters)
            average.lerp_(source, 1 - d);
        foreach (var (source, average) in buffers)
            average.copy_(source);
    }

    /// <summary>
    /// The decay of the <paramref name="updates"/>-th update with the usual warm-up,
    /// <c>min(decay, (1 + n) / (10 + n))</c>: without it a 0.999 average is still 74% the initial
    /// network after 300 steps (a zero-output U-Net), so early previews and short runs sample noise.
    /// </summary>
    public static double WarmupDecay(double decay, long updates) => Math.Min(decay, (1.0 + updates) / (10.0 + updates));

    /// <summary>Makes the average equal to the source (before the EMA start step).</summary>
    public void CopyFromSource()
    {
        using var noGrad = torch.no_grad();
        foreach (var (source, average) in parameters.Concat(buffers))
            average.copy_(source);
    }

    private static List<(Tensor, Tensor)> Pair(IEnumerable<(string Name, Tensor Tensor)> source, IEnumerable<(string Name, Tensor Tensor)> average)
    {
        var targets = average.ToDictionary(p => p.Name, p => p.Tensor);
        var pairs = new List<(Tensor, Tensor)>();
        foreach (var (name, tensor) in source)
        {
            if (!targets.Remove(name, out var target) || !target.shape.SequenceEqual(tensor.shape))
                throw new ArgumentException($"the EMA module does not match the network at '{name}'");
            pairs.Add((tensor, target));
        }
        if (targets.Count > 0)
            throw new ArgumentException($"the EMA module has tensors the network lacks: {string.Join(", ", targets.Keys.Take(4))}");
        return pairs;
    }
}
