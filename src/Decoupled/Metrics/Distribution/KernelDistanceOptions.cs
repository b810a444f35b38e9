namespace Decoupled.Metrics.Distribution;

/// <summary>
/// How <see cref="KernelDistance"/> subsamples: the KID / KVD protocol averages the unbiased MMD^2
/// over <see cref="Subsets"/> random subsets of <see cref="SubsetSize"/> rows from each set.
/// The defaults (100 subsets of 1000) are those of torch-fidelity's KID, StyleGAN2-ADA's KID and
/// StyleGAN-V's KVD, so numbers compare across papers.
/// </summary>
public sealed record KernelDistanceOptions
{
    /// <summary>Number of random subsets averaged (at least 1).</summary>
    public int Subsets { get; init; } = 100;

    /// <summary>Rows drawn from each set per subset, without replacement; clipped to the smaller set's size.</summary>
    public int SubsetSize { get; init; } = 1000;

    /// <summary>Seed of the subset sampler: the same seed and inputs give the same value.</summary>
    public int Seed { get; init; }
}
