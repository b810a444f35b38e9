using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.MaskedTokens;

/// <summary>A training input of masked token modelling.</summary>
/// <param name="Input">The tokens with the chosen positions replaced by the mask id, <c>[B, N]</c>.</param>
/// <param name="Masked">The chosen positions, <c>[B, N]</c> (bool): where the loss is taken.</param>
public sealed record MaskedTokens(Tensor Input, Tensor Masked) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Input.Dispose();
        Masked.Dispose();
    }
}

/// <summary>Random masking for training (MaskGIT): per row, a gamma(r) share of the maskable positions, r ~ U(0, 1).</summary>
public static class TokenMasking
{
    /// <summary>
    /// Masks, in each row of <paramref name="tokens"/> <c>[B, N]</c>, <see cref="MaskSchedule.MaskedCount"/>
    /// positions chosen uniformly among the <paramref name="maskable"/> ones (<c>[B, N]</c> bool; rows
    /// with none mask nothing). All randomness comes from <paramref name="generator"/>.
    /// </summary>
    public static MaskedTokens Random(Tensor tokens, Tensor maskable, long maskId, MaskSchedule schedule, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(maskable);
        ArgumentNullException.ThrowIfNull(schedule);
        using var scope = NewDisposeScope();
        long rows = tokens.shape[0], n = tokens.shape[1];
        var ratios = torch.rand(rows, generator: generator, dtype: ScalarType.Float64).data<double>().ToArray();
        // A random score per position; maskable positions ranked by it, the lowest `count` are masked.
        var scores = torch.rand(rows, n, generator: generator).masked_fill(maskable.logical_not(), 2.0);
        var ranks = scores.argsort(1).argsort(1);
        var maskableCounts = maskable.sum(1).data<long>().ToArray();
        var counts = torch.tensor(maskableCounts.Select((m, i) => (long)schedule.MaskedCount((int)m, ratios[i])).ToArray()).unsqueeze(1);
        var masked = ranks.lt(counts).logical_and(maskable);
        var input = tokens.masked_fill(masked, maskId);
        return new MaskedTokens(input.MoveToOuterDisposeScope(), masked.MoveToOuterDisposeScope());
    }
}
