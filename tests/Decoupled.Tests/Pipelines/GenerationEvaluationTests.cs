using Decoupled.Metrics;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Pipelines;

public class GenerationEvaluationTests
{
    [Fact]
    public void MetricSummaryIsMeanPopulationStdAndCount()
    {
        var s = MetricSummary.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(1.25), s.Std, 12);
        Assert.Equal(4, s.N);
        Assert.Throws<ArgumentException>(() => MetricSummary.Of([]));
    }

    [Fact]
    public void EvaluationSetIsBalancedOverActionsAndUsesOnlyHeldOutSubjects()
    {
        var items = ShapesEvaluationSet.Create(33, 8, 32, 32, seed: 3);
        Assert.All(ShapeAction.All, a => Assert.Equal(3, items.Count(i => i.ClassId == a.Id)));
        var testSubjects = ShapeSubject.All.Where(s => s.Split == ShapesSplit.Test).Select(s => s.Id).ToHashSet();
        Assert.All(items, i => Assert.Contains(i.SubjectId, testSubjects));
        // The three clips of an action meet three different subjects.
        Assert.All(ShapeAction.All, a => Assert.Equal(3, items.Where(i => i.ClassId == a.Id).Select(i => i.SubjectId).Distinct().Count()));
        var again = ShapesEvaluationSet.Create(33, 8, 32, 32, seed: 3);
        Assert.True(items.Zip(again).All(p => p.First.Clip.Pixels.AsSpan().SequenceEqual(p.Second.Clip.Pixels)));
    }

    [Fact]
    public void ARealClipScoresPerfectlyAndAFrozenFirstFrameDoesNot()
    {
        var items = ShapesEvaluationSet.Create(11, 8, 32, 32);
        string[] all = ["action", "psnr", "ssim", "first_frame_psnr"];
        var perfect = GenerationEvaluation.Run(items, (chunk, _) => chunk.Select(c => c.Clip.Clone()).ToArray(), all, batchSize: 4);
        Assert.Equal(1.0, perfect.Metrics["action"].Mean);
        Assert.Equal(1.0, perfect.Metrics["action_real"].Mean);
        Assert.Equal(100.0, perfect.Metrics["psnr"].Mean);
        Assert.Equal(1.0, perfect.Metrics["ssim"].Mean, 9);
        Assert.Equal(11, perfect.Generated.Count);

        var frozen = GenerationEvaluation.Run(items, (chunk, _) => chunk.Select(c => Frozen(c.Clip)).ToArray(), all);
        Assert.True(frozen.Metrics["action"].Mean < 0.5, $"a still video performed {frozen.Metrics["action"].Mean:P0} of the actions");
        Assert.Equal(100.0, frozen.Metrics["first_frame_psnr"].Mean);
        Assert.True(frozen.Metrics["psnr"].Mean < 40);
    }

    [Fact]
    public void BatchesGetConsecutiveSeedsAndUnknownMetricsAreRejected()
    {
        var items = ShapesEvaluationSet.Create(5, 8, 32, 32);
        var seeds = new List<long>();
        GenerationEvaluation.Run(items, (chunk, seed) => { seeds.Add(seed); return chunk.Select(c => c.Clip).ToArray(); }, ["psnr"], batchSize: 2, seed: 10);
        Assert.Equal([10L, 11L, 12L], seeds);
        Assert.Throws<UserInputException>(() => GenerationEvaluation.Run(items, (chunk, _) => chunk.Select(c => c.Clip).ToArray(), ["fvd"]));
    }

    private static VideoClip Frozen(VideoClip clip)
    {
        var still = clip.Clone();
        for (int t = 1; t < clip.Frames; t++) clip.Frame(0).CopyTo(still.Frame(t));
        return still;
    }
}
