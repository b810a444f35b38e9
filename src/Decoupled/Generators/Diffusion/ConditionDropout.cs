using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// The training half of classifier-free guidance: with probability p a batch item's condition is
/// replaced by the "null" condition, so one network learns both eps(x_t, c) and eps(x_t, null).
/// The learned null embedding lives in the network; this class only decides who is dropped.
/// </summary>
public static class ConditionDropout
{
    /// <summary>A bool tensor <c>[batch]</c>, true where the condition is dropped, each true with probability <paramref name="probability"/>.</summary>
    public static Tensor Mask(long batch, double probability, Generator? generator = null, Device? device = null)
    {
        if (batch < 1) throw new ArgumentException($"batch must be at least 1, got {batch}.", nameof(batch));
        if (!(probability >= 0.0 && probability <= 1.0))
            throw new ArgumentException($"condition dropout probability must lie in [0, 1], got {probability}.", nameof(probability));
        using var scope = torch.NewDisposeScope();
        // Always draw, even for p = 0 or 1, so the generator advances the same way whatever p is.
        var uniform = torch.rand([batch], dtype: ScalarType.Float64, generator: generator);
        return uniform.lt(probability).to(device ?? CPU).MoveToOuterDisposeScope();
    }

    /// <summary>Class indices <c>[B]</c> with the dropped ones set to <paramref name="nullIndex"/>.</summary>
    public static Tensor Apply(Tensor labels, Tensor mask, long nullIndex)
    {
        ArgumentNullException.ThrowIfNull(labels);
        CheckMask(mask, labels);
        using var scope = torch.NewDisposeScope();
        var replacement = torch.full_like(labels, nullIndex);
        return torch.where(mask, replacement, labels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Embeddings <c>[B, ...]</c> with the dropped rows replaced by <paramref name="nullEmbedding"/>
    /// (shaped like one row); gradients flow to both, so a learned null embedding trains.
    /// </summary>
    public static Tensor Apply(Tensor embeddings, Tensor mask, Tensor nullEmbedding)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(nullEmbedding);
        CheckMask(mask, embeddings);
        if (!nullEmbedding.shape.SequenceEqual(embeddings.shape.Skip(1)))
            throw new ArgumentException(
                $"the null embedding must have one row's shape [{string.Join(",", embeddings.shape.Skip(1))}], got [{string.Join(",", nullEmbedding.shape)}].",
                nameof(nullEmbedding));
        using var scope = torch.NewDisposeScope();
        var shape = new long[embeddings.dim()];
        Array.Fill(shape, 1L);
        shape[0] = embeddings.shape[0];
        var rowMask = mask.reshape(shape);
        return torch.where(rowMask, nullEmbedding.unsqueeze(0).to(embeddings.dtype), embeddings).MoveToOuterDisposeScope();
    }

    private static void CheckMask(Tensor mask, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.dtype != ScalarType.Bool || mask.dim() != 1 || batch.dim() < 1 || mask.shape[0] != batch.shape[0])
            throw new ArgumentException($"the dropout mask must be a bool tensor [{(batch.dim() > 0 ? batch.shape[0] : 0)}], got {mask.dtype} [{string.Join(",", mask.shape)}].", nameof(mask));
    }
}
