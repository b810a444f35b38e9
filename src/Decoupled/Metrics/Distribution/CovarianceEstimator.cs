namespace Decoupled.Metrics.Distribution;

/// <summary>
/// The divisor of a feature covariance. Published FID/FVD code differs here, and at small N the
/// choice shows in the digits users compare: pytorch-fid uses <c>numpy.cov</c> (N - 1), while
/// StyleGAN2-ADA's and StyleGAN-V's <c>FeatureStats.get_mean_cov</c> (whose TorchScript networks
/// <c>evaluate</c> uses) divide by N.
/// </summary>
public enum CovarianceEstimator
{
    /// <summary>Divide by N - 1 (<c>numpy.cov</c>, pytorch-fid).</summary>
    Unbiased,

    /// <summary>Divide by N (StyleGAN2-ADA / StyleGAN-V <c>FeatureStats</c>).</summary>
    Population,
}
