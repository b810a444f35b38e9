using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Shapes;

public class ActionAccuracyMetricTests
{
    [Fact]
    public void CountsAgreementAndFillsTheConfusionMatrix()
    {
        var samples = HeldOutClips.Make(22, 8, 32, 32, seed: 600).ToList();
        var clips = samples.Select(s => s.Clip).ToList();
        var truth = ActionAccuracyMetric.Evaluate(clips, samples.Select(s => s.ClassId).ToList());
        Assert.Equal(1.0, truth.Accuracy);
        Assert.Equal(22, truth.Correct);

        // Asking for the wrong action (the next class) must score zero, landing off the diagonal.
        var next = samples.Select(s => (s.ClassId + 1) % ShapeAction.All.Count).ToList();
        var wrong = ActionAccuracyMetric.Evaluate(clips, next);
        Assert.Equal(0, wrong.Accuracy);
        var total = 0;
        for (var r = 0; r < ShapeAction.All.Count; r++)
        {
            Assert.Equal(0, wrong.Confusion[r, r]);
            for (var c = 0; c <= ShapeAction.All.Count; c++) total += wrong.Confusion[r, c];
        }
        Assert.Equal(22, total);
        Assert.Equal(2, wrong.Confusion[ShapeAction.MoveRight.Id, ShapeAction.MoveLeft.Id]);
        Assert.Contains("action accuracy 0.0000 (0/22)", wrong.FormatConfusion());
    }

    [Fact]
    public void PerClassAccuracyIsNaNForAbsentClasses()
    {
        var sample = ShapesDataset.Render(ShapeSubject.All[1], ShapeAction.Grow, 8, 32, 32, 1);
        var result = ActionAccuracyMetric.Evaluate([sample]);
        var perClass = result.PerClassAccuracy();
        Assert.Equal(1.0, perClass[ShapeAction.Grow.Id]);
        Assert.True(double.IsNaN(perClass[ShapeAction.Bounce.Id]));
    }

    [Fact]
    public void RejectsMismatchedInput()
    {
        var clip = ShapesDataset.Render(ShapeSubject.All[1], ShapeAction.Grow, 8, 32, 32, 1).Clip;
        Assert.Throws<ArgumentException>(() => ActionAccuracyMetric.Evaluate([clip], []));
        Assert.Throws<ArgumentException>(() => ActionAccuracyMetric.Evaluate([clip], [ShapeAction.All.Count]));
        Assert.Throws<ArgumentException>(() => ActionAccuracyMetric.Evaluate([clip], [-1]));
    }

    [Fact]
    public void RobustFitIgnoresAWildPoint()
    {
        double[] t = [0, 1, 2, 3, 4, 5, 6];
        double[] v = [0, 2, 4, 60, 8, 10, 12];
        Assert.Equal(2, RobustFit.TheilSenSlope(t, v), 6);
        Assert.Equal([0, 2, 4, 8, 10, 10, 12], RobustFit.Median3(v));
        Assert.Equal(8, RobustFit.Median(v));
        Assert.True(double.IsNaN(RobustFit.Median([])));
    }
}
