using Decoupled.Generators.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>Oracle networks that know x_0, so a sampler's only possible error is its own math.</summary>
internal static class ExactModel
{
    /// <summary>eps(x_t, t) = (x_t - sqrt(alphaBar_t) x_0) / sqrt(1 - alphaBar_t): the noise that is really in x_t.</summary>
    public static Func<Tensor, Tensor, Tensor> Epsilon(NoiseSchedule schedule, Tensor x0) => (xt, t) =>
    {
        using var scope = torch.NewDisposeScope();
        var alphaBar = schedule.Extract(schedule.AlphaBar, t, xt);
        return Parameterization.EpsilonFromX0(xt, x0, alphaBar).MoveToOuterDisposeScope();
    };
}
