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
        return Predict(noise, zt, sqrtOneMinusAlphaBar, baseGenerator, IgnoringBaseEstimate(residualGenerator), stopGradient);
    }

    /// <summary>
    /// <see cref="Predict(DecomposedNoise, Tensor, Tensor, Func{Tensor, Tensor}, Func{Tensor, Tensor, Tensor}, bool)"/>
    /// with a residual generator that also sees the base frame's denoised estimate
    /// <c>x0^base = (z_t^base - sqrt(1 - alphaBar_t) zb) / sqrt(alphaBar_t)</c>, clamped to [-1, 1] and
    /// without gradient <c>[B, C, 1, H, W]</c> (its third argument): what the base generator decided the
    /// clip's content is, so that every frame can keep it.
    /// </summary>
    public static DecomposedPrediction Predict(
        DecomposedNoise noise,
        Tensor zt,
        Tensor sqrtOneMinusAlphaBar,
        Func<Tensor, Tensor> baseGenerator,
        Func<Tensor, Tensor, Tensor, Tensor> residualGenerator,
        bool stopGradient = true)
    {
        CheckInputs(noise, zt, baseGenerator, residualGenerator);
        ArgumentNullException.ThrowIfNull(sqrtOneMinusAlphaBar);

        using var scope = torch.NewDisposeScope();
        int k = noise.BaseFrame;
        var baseEpsilon = CheckBase(baseGenerator(zt.narrow(2, k, 1)), zt);
        if (noise.Frames == 1)
            return new DecomposedPrediction(baseEpsilon.alias().MoveToOuterDisposeScope(), baseEpsilon.MoveToOuterDisposeScope());

        var otherIndex = OtherFrames(noise, zt.device);
        var zOthers = zt.index_select(2, otherIndex);
        var sqrtLambda = noise.SqrtLambda(zt).index_select(2, otherIndex);
        var sqrtOneMinusLambda = noise.SqrtOneMinusLambda(zt).index_select(2, otherIndex);
        var sharedBase = stopGradient ? baseEpsilon.detach() : baseEpsilon;

        // Equation 12: remove the base noise the base generator found from every other frame.
        var sigma = sqrtOneMinusAlphaBar.to(zt.dtype);
        var zPrime = zOthers - sqrtLambda * sigma * sharedBase;
        var a = (1 - sigma.square()).clamp_min(0).sqrt();
        var baseEstimate = BaseEstimate((zt.narrow(2, k, 1) - sigma * baseEpsilon) / a);
        var residual = CheckResidual(residualGenerator(zPrime, otherIndex, baseEstimate), zPrime);
        // Equation 13.
        var otherEpsilon = sqrtLambda * sharedBase + sqrtOneMinusLambda * residual;

        return new DecomposedPrediction(InsertBase(otherEpsilon, baseEpsilon, k).MoveToOuterDisposeScope(), baseEpsilon.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The v-form of equations 12-13: the generators predict velocities, which keeps their targets
    /// bounded at the noisiest steps, where an eps error turns into an x0 error 1/sqrt(alphaBar) times
    /// larger. With a = sqrt(alphaBar):
    /// <code>
    /// b^    = a vb + sqrt(1 - a^2) z_base                     eps from the base generator's v (the base frame's eps is b)
    /// z'_i  = z_i - sqrt(lambda_i) sqrt(1 - a^2) b^           equation 12 = a x0_i + s_i r_i, s_i = sqrt(1 - a^2) sqrt(1 - lambda_i)
    /// v'_i  = residualGenerator(z'_i, i)                     the v of z'_i's own mix: (a r_i - s_i x0_i) / c_i, c_i = sqrt(a^2 + s_i^2)
    /// r^_i  = (s_i z'_i + a c_i v'_i) / c_i^2
    /// v_i   = sqrt(lambda_i) a b^ - a sqrt(1 - a^2) lambda_i z'_i / c_i^2 + sqrt(1 - lambda_i) v'_i / c_i
    /// </code>
    /// The last line is (eps_i - sqrt(1 - a^2) z_i) / a with eps_i from equation 13 and r^_i, expanded so
    /// that nothing divides by a (which is 0 at the last step). Returns v for every frame (the base
    /// frame's is vb) and b^ as <see cref="DecomposedPrediction.BaseEpsilon"/>; the stop-gradient acts on b^.
    /// </summary>
    public static DecomposedPrediction PredictVelocity(
        DecomposedNoise noise,
        Tensor zt,
        Tensor alphaBar,
        Func<Tensor, Tensor> baseGenerator,
        Func<Tensor, Tensor, Tensor> residualGenerator,
        bool stopGradient = true)
    {
        return PredictVelocity(noise, zt, alphaBar, baseGenerator, IgnoringBaseEstimate(residualGenerator), stopGradient);
    }

    /// <summary>
    /// <see cref="PredictVelocity(DecomposedNoise, Tensor, Tensor, Func{Tensor, Tensor}, Func{Tensor, Tensor, Tensor}, bool)"/>
    /// with a residual generator that also sees the base frame's denoised estimate
    /// <c>x0^base = sqrt(alphaBar_t) z_t^base - sqrt(1 - alphaBar_t) vb</c>, clamped to [-1, 1] and without
    /// gradient <c>[B, C, 1, H, W]</c> (its third argument).
    /// </summary>
    public static DecomposedPrediction PredictVelocity(
        DecomposedNoise noise,
        Tensor zt,
        Tensor alphaBar,
        Func<Tensor, Tensor> baseGenerator,
        Func<Tensor, Tensor, Tensor, Tensor> residualGenerator,
        bool stopGradient = true)
    {
        CheckInputs(noise, zt, baseGenerator, residualGenerator);
        ArgumentNullException.ThrowIfNull(alphaBar);

        using var scope = torch.NewDisposeScope();
        int k = noise.BaseFrame;
        var a = alphaBar.to(zt.dtype).sqrt();
        var sigma = (1 - alphaBar.to(zt.dtype)).sqrt();
        var zBase = zt.narrow(2, k, 1);
        var baseVelocity = CheckBase(baseGenerator(zBase), zt);
        var baseEpsilon = a * baseVelocity + sigma * zBase;
        if (noise.Frames == 1)
            return new DecomposedPrediction(baseVelocity.MoveToOuterDisposeScope(), baseEpsilon.MoveToOuterDisposeScope());

        var otherIndex = OtherFrames(noise, zt.device);
        var zOthers = zt.index_select(2, otherIndex);
        var lambda = noise.SqrtLambda(zt).index_select(2, otherIndex).square();
        var sqrtLambda = lambda.sqrt();
        var sqrtOneMinusLambda = (1 - lambda).sqrt();
        var sharedBase = stopGradient ? baseEpsilon.detach() : baseEpsilon;

        var zPrime = zOthers - sqrtLambda * sigma * sharedBase;                       // equation 12
        var baseEstimate = BaseEstimate(a * zBase - sigma * baseVelocity);
        var residualVelocity = CheckResidual(residualGenerator(zPrime, otherIndex, baseEstimate), zPrime);
        var cSquared = a.square() + sigma.square() * (1 - lambda);
        var c = cSquared.sqrt();
        var otherVelocity = sqrtLambda * a * sharedBase - a * sigma * lambda * zPrime / cSquared + sqrtOneMinusLambda * residualVelocity / c;

        return new DecomposedPrediction(InsertBase(otherVelocity, baseVelocity, k).MoveToOuterDisposeScope(), baseEpsilon.MoveToOuterDisposeScope());
    }

    // A residual generator of (z', i) in the shape of one that is also handed the base estimate.
    private static Func<Tensor, Tensor, Tensor, Tensor> IgnoringBaseEstimate(Func<Tensor, Tensor, Tensor> residualGenerator)
    {
        ArgumentNullException.ThrowIfNull(residualGenerator);
        return (zPrime, frames, _) => residualGenerator(zPrime, frames);
    }

    // The base frame's x0 as the residual generator's condition: an input, never a path for gradients.
    private static Tensor BaseEstimate(Tensor x0) => x0.detach().nan_to_num(0, 1, -1).clamp(-1, 1);

    private static void CheckInputs(DecomposedNoise noise, Tensor zt, Func<Tensor, Tensor> baseGenerator, Func<Tensor, Tensor, Tensor, Tensor> residualGenerator)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(zt);
        ArgumentNullException.ThrowIfNull(baseGenerator);
        ArgumentNullException.ThrowIfNull(residualGenerator);
        if (zt.dim() != 5 || zt.shape[2] != noise.Frames)
            throw new ArgumentException($"the noisy clip must be [B, C, {noise.Frames}, H, W], got [{string.Join(",", zt.shape)}].", nameof(zt));
    }

    private static Tensor CheckBase(Tensor output, Tensor zt) =>
        output.shape.SequenceEqual(new[] { zt.shape[0], zt.shape[1], 1L, zt.shape[3], zt.shape[4] }) ? output
            : throw new ArgumentException($"the base generator must return one frame [B, C, 1, H, W], got [{string.Join(",", output.shape)}].");

    private static Tensor CheckResidual(Tensor output, Tensor zPrime) =>
        output.shape.SequenceEqual(zPrime.shape) ? output
            : throw new ArgumentException($"the residual generator must return [{string.Join(",", zPrime.shape)}], got [{string.Join(",", output.shape)}].");

    // The non-base frames' indices, in clip order.
    private static Tensor OtherFrames(DecomposedNoise noise, Device device) =>
        torch.tensor(Enumerable.Range(0, noise.Frames).Where(i => i != noise.BaseFrame).Select(i => (long)i).ToArray(), device: device);

    // The clip's frames back in order: the base frame's prediction at index k among the others'.
    private static Tensor InsertBase(Tensor others, Tensor baseFrame, int k) =>
        torch.cat([others.narrow(2, 0, k), baseFrame, others.narrow(2, k, others.shape[2] - k)], 2);
}

/// <summary>What <c>DecomposedDenoiser.Predict</c> and <c>DecomposedDenoiser.PredictVelocity</c> return.</summary>
/// <param name="Frames">The prediction for every frame <c>[B, C, N, H, W]</c>: eps (equation 13), or v from <c>DecomposedDenoiser.PredictVelocity</c>.</param>
/// <param name="BaseEpsilon">The base noise b^ the prediction used <c>[B, C, 1, H, W]</c>, with its gradient.</param>
public sealed record DecomposedPrediction(Tensor Frames, Tensor BaseEpsilon);
