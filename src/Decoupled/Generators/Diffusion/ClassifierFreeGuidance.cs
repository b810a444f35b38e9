using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// Classifier-free guidance (Ho and Salimans 2022) at sampling time:
/// eps~ = eps_uncond + w (eps_cond - eps_uncond). w = 1 is the plain conditional model,
/// w = 0 the unconditional one, w &gt; 1 trades diversity for fidelity to the condition.
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>eps_uncond + <paramref name="scale"/> (eps_cond - eps_uncond).</summary>
    public static Tensor Combine(Tensor conditional, Tensor unconditional, double scale)
    {
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(unconditional);
        CheckScale(scale);
        ForwardProcess.CheckSameShape(conditional, unconditional, nameof(unconditional));
        using var scope = torch.NewDisposeScope();
        return (unconditional + scale * (conditional - unconditional)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A guided model function for <see cref="DiffusionSampling.Run"/>: runs both models and
    /// combines them, or only the conditional one when <paramref name="scale"/> is 1.
    /// </summary>
    public static Func<Tensor, Tensor, Tensor> Guide(Func<Tensor, Tensor, Tensor> conditional, Func<Tensor, Tensor, Tensor> unconditional, double scale)
    {
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(unconditional);
        CheckScale(scale);
        if (scale == 1.0) return conditional;
        return (xt, t) =>
        {
            using var scope = torch.NewDisposeScope();
            return Combine(conditional(xt, t), unconditional(xt, t), scale).MoveToOuterDisposeScope();
        };
    }

    private static void CheckScale(double scale)
    {
        if (!(scale >= 0.0 && double.IsFinite(scale)))
            throw new ArgumentException($"guidance scale must be a finite number >= 0, got {scale}.", nameof(scale));
    }
}
