using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// Conversions between the three things a network may predict, all from x_t = a x_0 + b eps
/// with a = sqrt(alphaBar), b = sqrt(1 - alphaBar). <c>alphaBar</c> is any tensor that
/// broadcasts against the sample: a 0-d scalar in a sampler, <c>[B,1,...,1]</c> in training.
/// </summary>
public static class Parameterization
{
    /// <summary>x_0 = (x_t - b eps) / a.</summary>
    public static Tensor X0FromEpsilon(Tensor xt, Tensor epsilon, Tensor alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var (a, b) = Scales(alphaBar);
        return ((xt - b * epsilon) / a).MoveToOuterDisposeScope();
    }

    /// <summary>eps = (x_t - a x_0) / b.</summary>
    public static Tensor EpsilonFromX0(Tensor xt, Tensor x0, Tensor alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var (a, b) = Scales(alphaBar);
        return ((xt - a * x0) / b).MoveToOuterDisposeScope();
    }

    /// <summary>x_0 = a x_t - b v.</summary>
    public static Tensor X0FromVelocity(Tensor xt, Tensor v, Tensor alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var (a, b) = Scales(alphaBar);
        return (a * xt - b * v).MoveToOuterDisposeScope();
    }

    /// <summary>eps = b x_t + a v.</summary>
    public static Tensor EpsilonFromVelocity(Tensor xt, Tensor v, Tensor alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var (a, b) = Scales(alphaBar);
        return (b * xt + a * v).MoveToOuterDisposeScope();
    }

    /// <summary>v = a eps - b x_0.</summary>
    public static Tensor VelocityFrom(Tensor x0, Tensor epsilon, Tensor alphaBar)
    {
        using var scope = torch.NewDisposeScope();
        var (a, b) = Scales(alphaBar);
        return (a * epsilon - b * x0).MoveToOuterDisposeScope();
    }

    /// <summary>The x_0 that a network output of kind <paramref name="kind"/> implies.</summary>
    public static Tensor ToX0(PredictionType kind, Tensor modelOutput, Tensor xt, Tensor alphaBar) => kind switch
    {
        PredictionType.Epsilon => X0FromEpsilon(xt, modelOutput, alphaBar),
        PredictionType.Sample => modelOutput.alias(),
        PredictionType.Velocity => X0FromVelocity(xt, modelOutput, alphaBar),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown prediction type"),
    };

    /// <summary>The eps that a network output of kind <paramref name="kind"/> implies.</summary>
    public static Tensor ToEpsilon(PredictionType kind, Tensor modelOutput, Tensor xt, Tensor alphaBar) => kind switch
    {
        PredictionType.Epsilon => modelOutput.alias(),
        PredictionType.Sample => EpsilonFromX0(xt, modelOutput, alphaBar),
        PredictionType.Velocity => EpsilonFromVelocity(xt, modelOutput, alphaBar),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown prediction type"),
    };

    /// <summary>The training target of kind <paramref name="kind"/> for a sample built from x_0 and eps.</summary>
    public static Tensor Target(PredictionType kind, Tensor x0, Tensor epsilon, Tensor alphaBar) => kind switch
    {
        PredictionType.Epsilon => epsilon.alias(),
        PredictionType.Sample => x0.alias(),
        PredictionType.Velocity => VelocityFrom(x0, epsilon, alphaBar),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown prediction type"),
    };

    // a and b keep alphaBar's precision until they meet the sample; a float64 0-d scalar does
    // not promote a float32 sample, but a float64 [B,1,..] tensor would, so callers match dtypes there.
    private static (Tensor A, Tensor B) Scales(Tensor alphaBar) => (alphaBar.sqrt(), (1.0 - alphaBar).sqrt());
}
