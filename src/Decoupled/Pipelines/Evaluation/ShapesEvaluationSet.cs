using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>
/// The fixed, balanced set of held-out shapes clips generation is scored on: clip i performs
/// action i mod 11 with a test-split subject (subjects the models never trained on), cycling
/// through the subjects so that each action meets different ones; everything else follows the seed.
/// </summary>
public static class ShapesEvaluationSet
{
    /// <summary><paramref name="count"/> clips of <paramref name="frames"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static IReadOnlyList<LabeledClip> Create(int count, int frames, int height, int width, long seed = 0)
    {
        if (count < 1) throw new UserInputException($"the evaluation needs at least one clip, got {count}");
        ShapesDatasetOptions.ValidateClipSize(frames, height, width);
        var subjects = ShapeSubject.All.Where(s => s.Split == ShapesSplit.Test).ToList();
        int actions = ShapeAction.All.Count;
        var clips = new List<LabeledClip>(count);
        for (int i = 0; i < count; i++)
        {
            var action = ShapeAction.FromId(i % actions);
            // Stride by a number coprime with the subject count so consecutive rounds pair actions with new subjects.
            var subject = subjects[(i / actions + i * 7) % subjects.Count];
            var sample = ShapesDataset.Render(subject, action, frames, height, width, StepRandom.Seed(seed, i, StepRandom.BatchStream));
            clips.Add(new LabeledClip(sample.Clip, action.Id, sample.Caption, subject.Id));
        }
        return clips;
    }
}
