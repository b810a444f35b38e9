using Decoupled.Metrics.Frame;
using Decoupled.Tests.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Moso;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;

namespace Decoupled.Tests.Moso;

[Collection(TorchRngCollection.Name)]
public class MosoPredictionTrialsTests
{
    private static readonly VideoClip Empty = new(1, 1, 1, 10);

    [Fact]
    public void TheBestSsimIsTheLargestOfAnyTrialNotThatOfTheBestPsnrTrial()
    {
        // Trial 0 has the better PSNR, trial 2 the better SSIM: the paper takes each metric's best apart.
        var result = new MosoPredictionResult(Empty, Empty, 0, 21.0, 0.6, [21.0, 18.0, 20.0], 19.0, 0.7, TrialSsim: [0.6, 0.5, 0.8]);
        Assert.Equal(0.8, result.BestSsim);
        Assert.Equal(0.6, result.Ssim);
    }

    [Fact]
    public void WithoutATruthThereIsNoBestSsim()
    {
        var result = new MosoPredictionResult(Empty, Empty, 0, null, null, [], null, null);
        Assert.Null(result.BestSsim);
    }

    [Fact]
    public void EveryTrialIsScoredAndTheKeptOneCarriesItsOwnSsim()
    {
        var model = MosoPipelineTesting.Model();
        var clip = new ShapesClipSource(8, 32, 32, 7, ShapesSplit.Test).Draw(0, 0).Clip;
        var options = MosoSampleOptions.Default with { Motion = MosoSampleOptions.Default.Motion with { Iterations = 2 } };
        using var generator = new torch.Generator(5);
        var truth = clip.Slice(2, 6);
        var result = MosoPrediction.Predict(model.Sampler(), model.Config, clip.Slice(0, 2), 6, truth, 3, options, generator);

        Assert.Equal(3, result.TrialSsim!.Count);
        Assert.Equal(result.TrialSsim[result.BestTrial], result.Ssim!.Value, 12);
        Assert.Equal(Ssim.Clip(truth, result.Predicted), result.Ssim.Value, 12);
        Assert.Equal(result.TrialSsim.Max(), result.BestSsim!.Value, 12);
        Assert.True(result.BestSsim >= result.Ssim);
    }
}
