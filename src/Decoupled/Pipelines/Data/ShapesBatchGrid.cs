using Decoupled.Pipelines.Training;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Pipelines.Data;

/// <summary>
/// Lays a shapes batch out as a grid of subjects x actions, so that a mini-batch holds several clips of
/// each subject and of each action: what VideoFusion's noise sharing by label (section 4.7) needs to have
/// anything to share. A batch of B has ceil(sqrt(B)) subjects; slot s shows subject s / actions and
/// action s % actions, both drawn from (seed, step).
/// </summary>
internal sealed class ShapesBatchGrid
{
    private const ulong GridStream = 50;
    private readonly IReadOnlyList<ShapeSubject> subjects;
    private readonly int subjectsPerBatch;
    private readonly int actionsPerBatch;
    private readonly long seed;

    /// <summary>A grid over <paramref name="subjects"/> for batches of <paramref name="batchSize"/>.</summary>
    public ShapesBatchGrid(IReadOnlyList<ShapeSubject> subjects, int batchSize, long seed)
    {
        if (batchSize < 1) throw new UserInputException($"batch size must be at least 1, got {batchSize}");
        this.subjects = subjects;
        this.seed = seed;
        subjectsPerBatch = (int)Math.Ceiling(Math.Sqrt(batchSize));
        actionsPerBatch = (batchSize + subjectsPerBatch - 1) / subjectsPerBatch;
    }

    /// <summary>The subject and action of <paramref name="slot"/> in the batch of <paramref name="step"/>.</summary>
    public (ShapeSubject Subject, ShapeAction Action) Cell(long step, int slot)
    {
        var random = StepRandom.Random(seed, step, GridStream);
        var stepSubjects = Enumerable.Range(0, subjectsPerBatch).Select(_ => subjects[random.Next(subjects.Count)]).ToList();
        var stepActions = Enumerable.Range(0, actionsPerBatch).Select(_ => ShapeAction.FromId(random.Next(ShapeAction.All.Count))).ToList();
        return (stepSubjects[slot / actionsPerBatch % subjectsPerBatch], stepActions[slot % actionsPerBatch]);
    }
}
