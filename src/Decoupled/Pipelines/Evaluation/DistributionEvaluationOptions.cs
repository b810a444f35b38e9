using Decoupled.Metrics.Distribution;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>Settings of <see cref="DistributionEvaluation"/>; the defaults are the published protocols'.</summary>
public sealed record DistributionEvaluationOptions
{
    /// <summary>Clips per extractor call (memory, not results).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>KVD subsampling (StyleGAN-V / KID defaults: 100 subsets of up to 1000 clips).</summary>
    public KernelDistanceOptions Kvd { get; init; } = new();

    /// <summary>Inception Score splits (10, as StyleGAN2-ADA); fewer when there are fewer generated frames.</summary>
    public int InceptionSplits { get; init; } = InceptionScore.DefaultSplits;
}
