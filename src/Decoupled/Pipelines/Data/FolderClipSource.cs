using Decoupled.Pipelines.Training;
using Decoupled.Video;
using Decoupled.Video.Datasets;

namespace Decoupled.Pipelines.Data;

/// <summary>Clips of a folder dataset (one folder per class), windows drawn from (seed, step, slot).</summary>
public sealed class FolderClipSource : IClipSource
{
    private readonly FolderDataset dataset;
    private readonly long seed;

    /// <summary>Opens <paramref name="root"/> for clips of <paramref name="frames"/> frames resized to the given size.</summary>
    public FolderClipSource(string root, int frames, int height, int width, long seed, DatasetSplit split = DatasetSplit.Train, int stride = 1)
    {
        dataset = FolderDataset.Open(root, new FolderDatasetOptions
        {
            FramesPerClip = frames, FrameStride = stride, Size = new FrameSize(width, height), Split = split, Seed = (int)(seed & 0x7FFFFFFF),
        });
        if (dataset.Clips.Count == 0) throw new UserInputException($"{root}: no clips in the {split.ToString().ToLowerInvariant()} split");
        Name = root;
        Frames = frames;
        Height = height;
        Width = width;
        this.seed = seed;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => dataset.ClassNames;

    /// <inheritdoc />
    public int Frames { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public LabeledClip Draw(long step, int slot)
    {
        var item = dataset.Sample(StepRandom.Random(seed, step, StepRandom.BatchStream + (ulong)slot));
        return new LabeledClip(dataset.Load(item), item.ClassId, item.Caption);
    }
}
