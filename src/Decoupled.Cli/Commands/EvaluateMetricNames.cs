using Decoupled.Pipelines.Evaluation;

namespace Decoupled.Cli.Commands;

/// <summary>The <c>--metrics</c> list of <c>evaluate</c>: known names, and which weight option each one needs.</summary>
internal static class EvaluateMetricNames
{
    /// <summary>Every metric name, in the order the help lists them.</summary>
    public static IReadOnlyList<string> Known { get; } =
        [.. GenerationEvaluation.KnownMetrics, "lpips", .. DistributionEvaluation.KnownMetrics, .. ClassifierEvaluation.KnownMetrics];

    /// <summary>Lower-cased, de-duplicated names, each one known.</summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToList();
        if (names.Count == 0) throw new UserInputException("--metrics: name at least one metric");
        foreach (var name in names)
            if (!Known.Contains(name))
                throw new UserInputException($"--metrics: unknown metric '{name}' (known: {string.Join(", ", Known)})");
        return names;
    }

    /// <summary>
    /// Checks, before anything slow starts, that every metric's network was given: one line naming the
    /// first metric without its weights and the option that supplies them.
    /// </summary>
    public static void RequireWeights(IReadOnlyList<string> names, FileInfo? lpips, FileInfo? i3d, FileInfo? inception, string? classifier)
    {
        foreach (var name in names)
        {
            string? missing =
                name == "lpips" && lpips is null ? "--lpips FILE (LPIPS weights as .safetensors; see README, Metrics)"
                : DistributionEvaluation.VideoMetrics.Contains(name) && i3d is null ? "--i3d FILE (StyleGAN-V's i3d_torchscript.pt; see README, Metrics)"
                : DistributionEvaluation.ImageMetrics.Contains(name) && inception is null ? "--inception FILE (StyleGAN2-ADA's inception-2015-12-05.pt; see README, Metrics)"
                : ClassifierEvaluation.KnownMetrics.Contains(name) && classifier is null ? "--classifier RUN (a run of train --model shapes-classifier; see README, Metrics)"
                : null;
            if (missing is not null) throw new UserInputException($"--metrics {name}: needs network weights: pass {missing}");
        }
    }

    /// <summary>True when any name is a distribution metric (these default to the 2048-clip protocol).</summary>
    public static bool AnyDistribution(IReadOnlyList<string> names) => names.Any(n => DistributionEvaluation.KnownMetrics.Contains(n) || n == "fd_shapes");

    /// <summary>True when any name needs the reference shapes classifier (<c>--classifier</c>).</summary>
    public static bool AnyClassifier(IReadOnlyList<string> names) => names.Any(ClassifierEvaluation.KnownMetrics.Contains);
}
