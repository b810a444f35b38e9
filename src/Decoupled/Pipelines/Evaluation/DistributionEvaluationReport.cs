using Decoupled.Metrics;
using Decoupled.Metrics.Distribution;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>The outcome of <see cref="DistributionEvaluation.Run"/>.</summary>
/// <param name="Metrics">Metric name to summary: fvd / fid (value, std 0, n = generated clips), kvd (mean and std over subsets), cfvd / sfvd (mean and std over groups, n = groups), is (mean and std over splits).</param>
/// <param name="ClassGroups">Per-class Frechet distances behind cfvd, when computed.</param>
/// <param name="SubjectGroups">Per-subject Frechet distances behind sfvd, when computed.</param>
public sealed record DistributionEvaluationReport(
    IReadOnlyDictionary<string, MetricSummary> Metrics,
    GroupedFrechetResult<int>? ClassGroups, GroupedFrechetResult<int>? SubjectGroups);
