using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// The forward process q(x_t | x_0) applied to batches: every batch item has its own timestep,
/// and the per-item constants broadcast over the trailing dimensions, so images
/// <c>[B,C,H,W]</c> and videos <c>[B,C,T,H,W]</c> take the same path.
/// </summary>
public static class ForwardProcess
{
    /// <summary>
    /// Equation 2: x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, with <paramref name="t"/>
    /// a long tensor <c>[B]</c> holding one timestep per batch item.
    /// </summary>
    public static Tensor AddNoise(this NoiseSchedule schedule, Tensor x0, Tensor noise, Tensor t)
    {
        CheckSameShape(x0, noise, nameof(noise));
        using var scope = torch.NewDisposeScope();
        var signal = schedule.Extract(schedule.SqrtAlphaBar, t, x0);
        var noiseScale = schedule.Extract(schedule.SqrtOneMinusAlphaBar, t, x0);
        return (signal * x0 + noiseScale * noise).MoveToOuterDisposeScope();
    }

    /// <summary>The v-prediction target v = sqrt(alphaBar_t) eps - sqrt(1 - alphaBar_t) x_0 (Salimans and Ho 2022).</summary>
    public static Tensor Velocity(this NoiseSchedule schedule, Tensor x0, Tensor noise, Tensor t)
    {
        CheckSameShape(x0, noise, nameof(noise));
        using var scope = torch.NewDisposeScope();
        var signal = schedule.Extract(schedule.SqrtAlphaBar, t, x0);
        var noiseScale = schedule.Extract(schedule.SqrtOneMinusAlphaBar, t, x0);
        return (signal * noise - noiseScale * x0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Picks <paramref name="table"/>[t_b] for every batch item and shapes the result
    /// <c>[B,1,...,1]</c> in the dtype and device of <paramref name="like"/>, ready to broadcast.
    /// </summary>
    public static Tensor Extract(this NoiseSchedule schedule, IReadOnlyList<double> table, Tensor t, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckTimesteps(schedule, t, like.shape[0]);
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = like.shape[0];
        using var scope = torch.NewDisposeScope();
        var values = torch.tensor(table.ToArray(), dtype: ScalarType.Float64);
        var picked = values.index_select(0, t.to(ScalarType.Int64).cpu());
        return picked.reshape(shape).to(like.dtype, like.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="t"/> is an integer tensor
    /// <c>[batch]</c> whose values lie in 0..T-1.
    /// </summary>
    public static void CheckTimesteps(this NoiseSchedule schedule, Tensor t, long batch)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new ArgumentException($"timesteps must be an integer tensor, got {t.dtype}.", nameof(t));
        if (t.dim() != 1 || t.shape[0] != batch)
            throw new ArgumentException($"timesteps must have shape [{batch}] (one per batch item), got [{string.Join(",", t.shape)}].", nameof(t));
        if (batch == 0) return;
        using var scope = torch.NewDisposeScope();
        long min = t.min().to(ScalarType.Int64).item<long>();
        long max = t.max().to(ScalarType.Int64).item<long>();
        if (min < 0 || max >= schedule.TrainSteps)
            throw new ArgumentException($"timesteps must lie in 0..{schedule.TrainSteps - 1}, got values from {min} to {max}.", nameof(t));
    }

    internal static void CheckSameShape(Tensor expected, Tensor actual, string name)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new ArgumentException(
                $"{name} must have the sample's shape [{string.Join(",", expected.shape)}], got [{string.Join(",", actual.shape)}].", name);
    }
}
