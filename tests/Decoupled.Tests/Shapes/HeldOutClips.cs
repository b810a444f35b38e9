using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Shapes;

/// <summary>Clips of held-out (test-split) subjects, actions in turn, for scoring the tracker.</summary>
internal static class HeldOutClips
{
    public static IEnumerable<ShapesSample> Make(int count, int frames, int height, int width, ulong seed)
    {
        var subjects = ShapeSubject.All.Where(s => s.Split == ShapesSplit.Test).ToArray();
        var rng = new SplitMix64(seed);
        for (var i = 0; i < count; i++)
        {
            var subject = subjects[rng.NextInt(subjects.Length)];
            yield return ShapesDataset.Render(subject, ShapeAction.All[i % ShapeAction.All.Count], frames, height, width, rng.NextUInt64());
        }
    }
}
