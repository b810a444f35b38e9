using Decoupled.Metrics.Distribution;

namespace Decoupled.Tests.Metrics.Distribution;

/// <summary>Inception Score on its two extremes, the logits path, and input checks.</summary>
public class InceptionScoreTests
{
    [Fact]
    public void UniformPredictionsScoreOne()
    {
        var p = Rows(100, 7, (_, _) => 1.0 / 7);
        var result = InceptionScore.FromProbabilities(p);
        Assert.Equal(1.0, result.Mean, 1e-12);
        Assert.Equal(0.0, result.Std, 1e-12);
        Assert.Equal(InceptionScore.DefaultSplits, result.N);
    }

    [Fact]
    public void ConfidentEvenlySpreadPredictionsScoreTheClassCount()
    {
        // 10 splits of 50 rows, each holding 5 one-hot rows of every one of the K = 10 classes:
        // KL(onehot || uniform) = log K per row, so IS = K in every split.
        var p = Rows(500, 10, (i, c) => i % 10 == c ? 1.0 : 0.0);
        var result = InceptionScore.FromProbabilities(p);
        Assert.Equal(10.0, result.Mean, 1e-10);
        Assert.Equal(0.0, result.Std, 1e-10);
    }

    [Fact]
    public void ConfidentButSingleClassPredictionsScoreOne()
    {
        var p = Rows(40, 5, (_, c) => c == 2 ? 1.0 : 0.0);
        Assert.Equal(1.0, InceptionScore.FromProbabilities(p, splits: 4).Mean, 1e-12);
    }

    [Fact]
    public void LogitsGoThroughASoftmax()
    {
        var random = new Random(3);
        var logits = Rows(30, 6, (_, _) => random.NextDouble() * 40 - 20);
        // Adding a constant to a row of logits leaves the softmax, hence IS, unchanged; huge values must not overflow.
        var shifted = logits.Select(r => r.Select(v => v + 1000).ToArray()).ToArray();
        var probs = logits.Select(r => { var e = r.Select(Math.Exp).ToArray(); double s = e.Sum(); return e.Select(v => v / s).ToArray(); }).ToArray();
        var expected = InceptionScore.FromProbabilities(probs, splits: 3);
        Assert.Equal(expected.Mean, InceptionScore.FromLogits(logits, splits: 3).Mean, 1e-10);
        Assert.Equal(expected.Mean, InceptionScore.FromLogits(shifted, splits: 3).Mean, 1e-10);
        Assert.True(expected.Mean > 1 && expected.Mean < 6);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => InceptionScore.FromProbabilities(Rows(5, 3, (_, _) => 1.0 / 3)));
        Assert.Contains("at least 10 samples", e.Message);
        e = Assert.Throws<ArgumentException>(() => InceptionScore.FromProbabilities(Rows(20, 3, (_, _) => 0.5), splits: 2));
        Assert.Contains("sums to", e.Message);
        e = Assert.Throws<ArgumentException>(() => InceptionScore.FromProbabilities(Rows(20, 2, (_, c) => c == 0 ? 1.5 : -0.5), splits: 2));
        Assert.Contains("negative", e.Message);
        Assert.Throws<ArgumentException>(() => InceptionScore.FromLogits(Rows(20, 2, (_, _) => 0), splits: 0));
    }

    private static double[][] Rows(int n, int classes, Func<int, int, double> value) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, classes).Select(c => value(i, c)).ToArray()).ToArray();
}
