namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// The two seeds of one VideoFusion sample: the base noise (shared by all frames: the content) and
/// the residual noise (per frame: the motion). Keeping <see cref="Base"/> and changing
/// <see cref="Residual"/> gives the same content with other motion, and the other way round (Figure 1).
/// </summary>
/// <param name="Base">Seed of the base noise b_T and of every step's fresh base noise.</param>
/// <param name="Residual">Seed of the residual noise r_T and of every step's fresh residual noise.</param>
public readonly record struct NoiseSeeds(long Base, long Residual)
{
    /// <summary>Both noises from one seed (they are still drawn from independent streams).</summary>
    public static NoiseSeeds From(long seed) => new(seed, seed);
}
