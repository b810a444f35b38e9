using System.CommandLine;
using Decoupled.Generators.Diffusion;

namespace Decoupled.Cli.Commands;

/// <summary>The diffusion objective's <c>train</c> options (<c>--prediction</c>, <c>--loss-weighting</c>, <c>--snr-gamma</c>), shared by every diffusion model.</summary>
internal static class DiffusionObjectiveOptions
{
    /// <summary>What the network predicts, from <c>--prediction</c>.</summary>
    public static PredictionType Prediction(ParseResult parse, TrainOptions o) => parse.GetValue(o.Prediction)!.ToLowerInvariant() switch
    {
        "v" or "velocity" => PredictionType.Velocity,
        "eps" or "epsilon" => PredictionType.Epsilon,
        var other => throw new UserInputException($"--prediction must be v or eps, got '{other}'"),
    };

    /// <summary>lambda(t), from <c>--loss-weighting</c> and <c>--snr-gamma</c>.</summary>
    public static LossWeighting Weighting(ParseResult parse, TrainOptions o)
    {
        double gamma = parse.GetValue(o.SnrGamma);
        return parse.GetValue(o.LossWeighting)!.ToLowerInvariant() switch
        {
            "uniform" => LossWeighting.Uniform,
            "min-snr" when gamma > 0 && double.IsFinite(gamma) => LossWeighting.MinSnr(gamma),
            "min-snr" => throw new UserInputException($"--snr-gamma must be a positive number, got {gamma}"),
            var other => throw new UserInputException($"--loss-weighting must be uniform or min-snr, got '{other}'"),
        };
    }
}
