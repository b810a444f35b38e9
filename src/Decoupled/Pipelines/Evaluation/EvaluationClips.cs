using Decoupled.Pipelines.Data;
using Decoupled.Video.Datasets;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>The held-out clips every evaluation draws: the balanced shapes set, or a folder dataset's test split.</summary>
public static class EvaluationClips
{
    /// <summary><paramref name="count"/> clips of the given size from <paramref name="data"/> ("shapes" or a folder).</summary>
    public static IReadOnlyList<LabeledClip> Load(string data, int count, int frames, int height, int width, long seed)
    {
        if (data == "shapes") return ShapesEvaluationSet.Create(count, frames, height, width, seed);
        if (!Directory.Exists(data)) throw new UserInputException($"--real: '{data}' is neither 'shapes' nor a folder");
        var source = new FolderClipSource(data, frames, height, width, seed, DatasetSplit.Test);
        return Enumerable.Range(0, count).Select(i => source.Draw(0, i)).ToList();
    }
}
