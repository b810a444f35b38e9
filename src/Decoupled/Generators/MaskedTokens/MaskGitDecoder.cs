using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.MaskedTokens;

/// <summary>
/// Iterative parallel decoding of masked tokens (MaskGIT; MOSO section 3.2.1): at each of I
/// iterations every masked position gets a sampled token, and the least confident of the new
/// tokens are masked again so that gamma((i+1)/I) of the initially unknown tokens stay masked;
/// after the last iteration none are. Tokens known at the start never change.
/// </summary>
public static class MaskGitDecoder
{
    /// <summary>
    /// Fills the <paramref name="maskId"/> positions of <paramref name="start"/> <c>[B, N]</c>.
    /// <paramref name="logitsOf"/> maps tokens <c>[B, N]</c> to logits <c>[B, N, V]</c> over the V real
    /// tokens (columns at or beyond <paramref name="maskId"/> are ignored, so the mask is never sampled).
    /// All randomness comes from <paramref name="generator"/>.
    /// </summary>
    public static Tensor Decode(Func<Tensor, Tensor> logitsOf, Tensor start, long maskId, MaskGitOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(logitsOf);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Iterations < 1) throw new ArgumentException($"decoding needs at least one iteration, got {options.Iterations}");
        if (!(options.Temperature >= 0) || !(options.ChoiceTemperature >= 0)) throw new ArgumentException("temperatures must be >= 0");
        using var scope = NewDisposeScope();
        var schedule = new MaskSchedule(options.Schedule);
        var tokens = start.clone();
        long rows = start.shape[0], n = start.shape[1];
        var unknownAtStart = start.eq(maskId).sum(1).data<long>().ToArray();
        for (int i = 0; i < options.Iterations; i++)
        {
            using var step = NewDisposeScope();
            var masked = tokens.eq(maskId);
            var maskedCounts = masked.sum(1).data<long>().ToArray();
            if (maskedCounts.All(c => c == 0)) break;
            var logits = logitsOf(tokens);
            if (logits.shape[2] > maskId) logits = logits[.., .., TensorIndex.Slice(0, maskId)];
            var (sampled, logProbability) = Sample(logits.to_type(ScalarType.Float32), options.Temperature, generator);
            var candidate = torch.where(masked, sampled, tokens);
            double progress = (i + 1.0) / options.Iterations;
            double noiseScale = options.ChoiceTemperature * (1 - progress);
            var confidence = logProbability;
            if (noiseScale > 0) confidence = confidence + Gumbel(confidence.shape, generator) * noiseScale;
            confidence = confidence.masked_fill(masked.logical_not(), double.PositiveInfinity);
            // Per row: how many of the initially unknown tokens stay masked after this iteration.
            var keep = unknownAtStart.Select((u, row) =>
            {
                long target = i == options.Iterations - 1 ? 0 : (long)Math.Floor(schedule.Gamma(progress) * u);
                // Reveal at least one token per iteration while any are masked, so I iterations always finish.
                return Math.Min(target, Math.Max(0, maskedCounts[row] - 1));
            }).ToArray();
            var ranks = confidence.argsort(1).argsort(1);
            var remask = ranks.lt(torch.tensor(keep).unsqueeze(1));
            tokens.copy_(candidate.masked_fill(remask, maskId));
        }
        return tokens.MoveToOuterDisposeScope();
    }

    private static (Tensor Tokens, Tensor LogProbability) Sample(Tensor logits, double temperature, Generator generator)
    {
        var logProbabilities = nn.functional.log_softmax(logits, -1);
        Tensor tokens;
        if (temperature == 0) tokens = logits.argmax(-1);
        else
        {
            var probabilities = nn.functional.softmax(logits / temperature, -1);
            long v = probabilities.shape[2];
            tokens = torch.multinomial(probabilities.reshape(-1, v), 1, replacement: true, generator: generator).reshape(logits.shape[0], logits.shape[1]);
        }
        return (tokens, logProbabilities.gather(-1, tokens.unsqueeze(-1)).squeeze(-1));
    }

    private static Tensor Gumbel(long[] shape, Generator generator)
    {
        var u = torch.rand(shape, generator: generator).clamp(1e-10, 1 - 1e-10);
        return -(-u.log()).log();
    }
}
