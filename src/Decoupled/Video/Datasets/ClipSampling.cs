namespace Decoupled.Video.Datasets;

/// <summary>How <see cref="FolderDataset.Items"/> turns clips into fixed-length windows.</summary>
public enum ClipSampling
{
    /// <summary>Each clip once per epoch, in a seeded shuffled order, with a seeded random window (training).</summary>
    Random,

    /// <summary>Every window of every clip in order, starting at frame 0 and moving by the hop (evaluation, export).</summary>
    Sequential,
}
