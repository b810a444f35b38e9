using Decoupled.Pipelines.Training;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Pipelines.Data;

/// <summary>
/// Shapes clips rendered on demand: subjects of one split (train subjects never appear in the test
/// split), actions uniform, every clip determined by (seed, step, slot); or, given a grid batch size,
/// batches laid out as subjects x actions (<see cref="ShapesBatchGrid"/>).
/// </summary>
public sealed class ShapesClipSource : IClipSource
{
    private readonly IReadOnlyList<ShapeSubject> subjects;
    private readonly long seed;
    private readonly ShapesBatchGrid? grid;

    /// <summary>
    /// Creates the source for one split and clip size; with <paramref name="gridBatchSize"/>, every batch of
    /// that size repeats a few subjects and actions (for VideoFusion's noise sharing by label).
    /// </summary>
    public ShapesClipSource(int frames, int height, int width, long seed, ShapesSplit split = ShapesSplit.Train, int? gridBatchSize = null)
    {
        ShapesDatasetOptions.ValidateClipSize(frames, height, width);
        Frames = frames;
        Height = height;
        Width = width;
        this.seed = seed;
        subjects = ShapeSubject.All.Where(s => s.Split == split).ToList();
        if (gridBatchSize is int size) grid = new ShapesBatchGrid(subjects, size, seed);
    }

    /// <inheritdoc />
    public string Name => "shapes";

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; } = ShapeAction.All.Select(a => a.Name).ToList();

    /// <inheritdoc />
    public int Frames { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public LabeledClip Draw(long step, int slot)
    {
        var random = new SplitMix64(StepRandom.Seed(seed, step, StepRandom.BatchStream + (ulong)slot));
        var subject = subjects[random.NextInt(subjects.Count)];
        var action = ShapeAction.FromId(random.NextInt(ShapeAction.All.Count));
        if (grid is not null) (subject, action) = grid.Cell(step, slot);
        var sample = ShapesDataset.Render(subject, action, Frames, Height, Width, random.NextUInt64());
        return new LabeledClip(sample.Clip, action.Id, sample.Caption, subject.Id);
    }
}
