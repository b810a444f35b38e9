namespace Decoupled.Video.Datasets;

/// <summary>
/// How a <see cref="FolderDataset"/> cuts clips into windows and splits them. A window is
/// <see cref="FramesPerClip"/> frames taken every <see cref="FrameStride"/> source frames, so it
/// spans <c>(FramesPerClip - 1) * FrameStride + 1</c> source frames; shorter clips are skipped.
/// </summary>
public sealed record FolderDatasetOptions
{
    /// <summary>Frames per window (F).</summary>
    public int FramesPerClip { get; init; } = 16;

    /// <summary>Source frames between consecutive frames of a window (S; 1 = consecutive frames).</summary>
    public int FrameStride { get; init; } = 1;

    /// <summary>
    /// Sequential sampling: source frames between the starts of consecutive windows. Null means the
    /// window span, i.e. all non-overlapping windows.
    /// </summary>
    public int? Hop { get; init; }

    /// <summary>Random (seeded, per epoch) or sequential windows from <see cref="FolderDataset.Items"/>.</summary>
    public ClipSampling Sampling { get; init; } = ClipSampling.Random;

    /// <summary>Seed for random sampling; the same seed and epoch give the same windows.</summary>
    public int Seed { get; init; }

    /// <summary>Frame size of loaded clips; null keeps each clip's own size.</summary>
    public FrameSize? Size { get; init; }

    /// <summary>How frames are brought to <see cref="Size"/>.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.CoverCrop;

    /// <summary>Which clips the dataset exposes.</summary>
    public DatasetSplit Split { get; init; } = DatasetSplit.All;

    /// <summary>Share of groups (by hash) that go to the test split, 0..1. Ignored when <see cref="TestGroups"/> is set.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>
    /// Regular expression matched against each clip's relative path (<c>class/clip.ext</c>, forward
    /// slashes). Its first capture group (or the whole match) is the clip's group: all clips of a
    /// group land on the same side of the split, e.g. <c>person(\d+)_</c> keeps KTH persons apart.
    /// Clips it does not match form a group of their own. Null: every clip is its own group.
    /// </summary>
    public string? GroupPattern { get; init; }

    /// <summary>
    /// Explicit test groups (values of the group, e.g. <c>"17"</c> .. <c>"25"</c> for the standard KTH
    /// split); every other group is training. Overrides <see cref="TestFraction"/>.
    /// </summary>
    public IReadOnlySet<string>? TestGroups { get; init; }

    /// <summary>Frame rate given to clips that are frame folders.</summary>
    public double FolderFramesPerSecond { get; init; } = 25;
}
