using static TorchSharp.torch;

namespace Decoupled.Generators.MaskedTokens;

/// <summary>The training loss of masked token modelling (MOSO equation 13): cross-entropy on the masked positions only.</summary>
public static class MaskedTokenLoss
{
    /// <summary>Mean cross-entropy of <paramref name="logits"/> <c>[B, N, V]</c> against <paramref name="targets"/> <c>[B, N]</c> over the <paramref name="masked"/> positions (0 when none).</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Tensor masked)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        var logProbabilities = nn.functional.log_softmax(logits.to_type(ScalarType.Float32), -1);
        var picked = -logProbabilities.gather(-1, targets.unsqueeze(-1)).squeeze(-1);
        var weights = masked.to_type(ScalarType.Float32);
        var loss = (picked * weights).sum() / weights.sum().clamp_min(1);
        return loss.MoveToOuterDisposeScope();
    }
}
