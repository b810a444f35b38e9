namespace Decoupled.Video.Datasets;

/// <summary>One clip of a <see cref="FolderDataset"/>: a video file or a folder of frames, not yet decoded.</summary>
/// <param name="Path">Full path of the video file or frame folder.</param>
/// <param name="RelativePath">Path under the dataset root with forward slashes, e.g. <c>boxing/person01_boxing_d1.avi</c>.</param>
/// <param name="ClassId">Index of the class folder among the sorted class names.</param>
/// <param name="ClassName">The class folder's name.</param>
/// <param name="Caption">Text of the caption file beside the clip (whitespace collapsed), or the class name when there is none.</param>
/// <param name="HasCaptionFile">True when the caption came from a <c>.txt</c> file.</param>
/// <param name="Group">The split group (see <see cref="FolderDatasetOptions.GroupPattern"/>).</param>
/// <param name="Split">Train or Test, from the group.</param>
/// <param name="IsFrameFolder">True for a folder of frames, false for a video file.</param>
public sealed record FolderClip(
    string Path,
    string RelativePath,
    int ClassId,
    string ClassName,
    string Caption,
    bool HasCaptionFile,
    string Group,
    DatasetSplit Split,
    bool IsFrameFolder);
