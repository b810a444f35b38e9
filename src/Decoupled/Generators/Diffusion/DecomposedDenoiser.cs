using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// VideoFusion's noise prediction for a whole clip from its two generators (equations 12 and 13),
/// with the networks outside, as delegates:
/// <code>
/// zb    = baseGenerator(z_t^{base})                                      the base noise, one pass for all frames
/// z'_i  = z_t^i - sqrt(lambda_i) sqrt(1 - alphaBar_t) [zb]              equation 12, i != base
/// eps_i = zb                                                            i == base
/// eps_i = sqrt(lambda_i) [zb] + sqrt(1 - lambda_i) residualGenerator(z'_i, i)   equation 13, i != base
/// </code>
/// where <c>[zb]</c> is <c>zb</c> with its gradient stopped when <c>stopGradient</c> is set (equation 14's
/// <c>[.]_sg</c>: the non-base frames' losses do not train the base generator).
/// </summary>
public static class DecomposedDenoiser
{
    /// <summary>
    /// Predicts eps <c>[B, C, N, H, W]</c> for the noisy clip <paramref name="zt"/>.
    /// <paramref name="sqrtOneMinusAlphaBar"/> broadcasts against <paramref name="zt"/> (<c>[B, 1, 1, 1, 1]</c>
    /// or a 0-d tensor). <paramref name="baseGenerator"/> maps the base frame <c>[B, C, 1, H, W]</c> to its
    /// eps; <paramref name="residualGenerator"/> maps the non-base frames z' <c>[B, C, N-1, H, W]</c> and their
    /// frame indices (int64 <c>[N-1]</c>, in clip order without the base frame) to their residual noise.
    /// </summary>
    public static DecomposedPrediction Predict(
        DecomposedNoise noise,
        Tensor zt,
        Tensor sqrtOneMinusAlphaBar,
        Func<Tensor, Tensor> baseGenerator,
        Func<Tensor, Tensor, Tensor> residualGenerator,
        bool stopGradient = true)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(zt);
        ArgumentNullException.ThrowIfNull(sqrtOneMinusAlphaBar);
        ArgumentNullException.ThrowIfNull(baseGenerator);
        ArgumentNullException.ThrowIfNull(residualGenerator);
        if (zt.dim() != 5 || zt.shape[2] != noise.Frames)
            throw new ArgumentException($"the noisy clip must be [B, C, {noise.Frames}, H, W], got [{string.Join(",", zt.shape)}].", nameof(zt));

        using var scope = torch.NewDisposeScope();
        int k = noise.BaseFrame;
        var baseEpsilon = baseGenerator(zt.narrow(2, k, 1));
        if (!baseEpsilon.shape.SequenceEqual(new[] { zt.shape[0], zt.shape[1], 1L, zt.shape[3], zt.shape[4] }))
            throw new ArgumentException($"the base generator must return one frame [B, C, 1, H, W], got [{string.Join(",", baseEpsilon.shape)}].");
        if (noise.Frames == 1)
            return new DecomposedPrediction(baseEpsilon.alias().MoveToOuterDisposeScope(), baseEpsilon.MoveToOuterDisposeScope());

        var others = Enumerable.Range(0, noise.Frames).Where(i => i != k).Select(i => (long)i).ToArray();
        var otherIndex = torch.tensor(others, device: zt.device);
        var zOthers = zt.index_select(2, otherIndex);
        var sqrtLambda = noise.SqrtLambda(zt).index_select(2, otherIndex);
        var sqrtOneMinusLambda = noise.SqrtOneMinusLambda(zt).index_select(2, otherIndex);
        var sharedBase = stopGradient ? baseEpsilon.detach() : baseEpsilon;

        // Equation 12: remove the base noise the base generator found from every other frame.
        var zPrime = zOthers - sqrtLambda * sqrtOneMinusAlphaBar.to(zt.dtype) * sharedBase;
        var residual = residualGenerator(zPrime, otherIndex);
        if (!residual.shape.SequenceEqual(zPrime.shape))
            throw new ArgumentException($"the residual generator must return [{string.Join(",", zPrime.shape)}], got [{string.Join(",", residual.shape)}].");
        // Equation 13.
        var otherEpsilon = sqrtLambda * sharedBase + sqrtOneMinusLambda * residual;

        var epsilon = torch.cat([otherEpsilon.narrow(2, 0, k), baseEpsilon, otherEpsilon.narrow(2, k, noise.Frames - 1 - k)], 2);
        return new DecomposedPrediction(epsilon.MoveToOuterDisposeScope(), baseEpsilon.MoveToOuterDisposeScope());
    }
}

/// <summary>What <see cref="DecomposedDenoiser.Predict"/> returns.</summary>
/// <param name="Epsilon">The predicted noise of every frame <c>[B, C, N, H, W]</c> (equation 13).</param>
/// <param name="BaseEpsilon">The base generator's output <c>[B, C, 1, H, W]</c>, with its gradient.</param>
public sealed record DecomposedPrediction(Tensor Epsilon, Tensor BaseEpsilon);
