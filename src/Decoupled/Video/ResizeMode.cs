namespace Decoupled.Video;

/// <summary>How a frame is brought to a target size.</summary>
public enum ResizeMode
{
    /// <summary>Scale (keeping the aspect ratio) so the frame covers the target, then crop the centre. Nothing is stretched.</summary>
    CoverCrop,

    /// <summary>Scale each axis independently to the target; the aspect ratio may change.</summary>
    Stretch,
}
