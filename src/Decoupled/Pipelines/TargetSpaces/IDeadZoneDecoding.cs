namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>
/// A target space whose decoder can drop small sampled values, as a codec drops small
/// coefficients. D-VDM and ED-VDM rebuild a clip sequentially from its first frame, so a sampled
/// value that should be zero but is not (in a region that stands still) stays in every later frame.
/// </summary>
public interface IDeadZoneDecoding
{
    /// <summary>Values smaller than this (RMS over channels, in the unit-variance units the diffusion works in) decode as zero; 0 keeps everything.</summary>
    double DeadZone { get; set; }
}
