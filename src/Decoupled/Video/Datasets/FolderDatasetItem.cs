namespace Decoupled.Video.Datasets;

/// <summary>
/// One window of a clip: frames <c>StartFrame, StartFrame + FrameStride, ...</c>, FrameCount of them.
/// Cheap to make and hold; <see cref="FolderDataset.Load"/> decodes it.
/// </summary>
/// <param name="Clip">The clip the window comes from.</param>
/// <param name="StartFrame">First source frame.</param>
/// <param name="FrameCount">Frames in the window.</param>
/// <param name="FrameStride">Source frames between window frames.</param>
public sealed record FolderDatasetItem(FolderClip Clip, int StartFrame, int FrameCount, int FrameStride)
{
    /// <summary>The clip's video file or frame folder.</summary>
    public string Path => Clip.Path;

    /// <summary>Class index.</summary>
    public int ClassId => Clip.ClassId;

    /// <summary>Class folder name.</summary>
    public string ClassName => Clip.ClassName;

    /// <summary>Caption, or the class name when the clip has none.</summary>
    public string Caption => Clip.Caption;

    /// <summary>Last source frame of the window.</summary>
    public int LastFrame => StartFrame + (FrameCount - 1) * FrameStride;

    /// <inheritdoc />
    public override string ToString() => $"{Clip.RelativePath} [{StartFrame}..{LastFrame} step {FrameStride}] class {ClassId} '{Caption}'";
}
