namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// The procedural background behind the object. Each texture has its own pair of subdued,
/// near-grey colours, so every object colour stays far from every background colour.
/// </summary>
public enum BackgroundTexture
{
    /// <summary>Straight stripes in one of four orientations (brownish).</summary>
    Stripes,
    /// <summary>Checkerboard (slate).</summary>
    Checker,
    /// <summary>Smooth value noise (moss).</summary>
    Noise,
    /// <summary>Linear gradient in a random direction (grey-violet).</summary>
    Gradient,
}
