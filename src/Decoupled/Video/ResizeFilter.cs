namespace Decoupled.Video;

/// <summary>How <see cref="FrameOps"/> samples the source when it resizes.</summary>
public enum ResizeFilter
{
    /// <summary>Area averaging along an axis that shrinks, bilinear along one that grows.</summary>
    Auto,

    /// <summary>Bilinear interpolation between the four nearest pixels (aliases when shrinking a lot).</summary>
    Bilinear,

    /// <summary>Each output pixel is the average of the source area it covers (box filter with exact fractional coverage).</summary>
    Area,
}
