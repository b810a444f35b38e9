namespace Decoupled.Generators.MaskedTokens;

/// <summary>The shape of gamma, the masked fraction as a function of progress r in [0, 1].</summary>
public enum MaskScheduleKind
{
    /// <summary>gamma(r) = cos(pi r / 2): MaskGIT's choice, and MOSO's ("gamma is set to decay as cosine").</summary>
    Cosine,

    /// <summary>gamma(r) = 1 - r.</summary>
    Linear,
}

/// <summary>
/// The masking schedule gamma of masked token modelling (MaskGIT, Chang et al. 2022): monotonically
/// declining from gamma(0) = 1 (everything masked) to gamma(1) = 0 (nothing masked). Training masks
/// a gamma(r) share of the tokens for r ~ U(0, 1); decoding keeps gamma((i+1)/I) of them masked
/// after iteration i of I.
/// </summary>
public sealed record MaskSchedule(MaskScheduleKind Kind)
{
    /// <summary>The cosine schedule.</summary>
    public static MaskSchedule Cosine { get; } = new(MaskScheduleKind.Cosine);

    /// <summary>The linear schedule.</summary>
    public static MaskSchedule Linear { get; } = new(MaskScheduleKind.Linear);

    /// <summary>gamma(r) for r in [0, 1].</summary>
    public double Gamma(double r)
    {
        r = Math.Clamp(r, 0, 1);
        return Kind switch
        {
            MaskScheduleKind.Cosine => r >= 1 ? 0 : Math.Cos(Math.PI / 2 * r),
            MaskScheduleKind.Linear => 1 - r,
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown mask schedule"),
        };
    }

    /// <summary>Tokens to mask in training out of <paramref name="total"/>: ceil(gamma(r) total), at least 1 and at most all.</summary>
    public int MaskedCount(int total, double r) => total <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(Gamma(r) * total), 1, total);
}
