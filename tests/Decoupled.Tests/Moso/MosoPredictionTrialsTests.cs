using Decoupled.Metrics.Frame;
using Decoupled.Metrics.Perceptual;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Metrics.Perceptual;
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
    public void TheKeptTrialsLpipsIsItsOwnAndTheBestIsTheLowestOfAny()
    {
        var result = new MosoPredictionResult(Empty, Empty, 1, 21.0, 0.6, [18.0, 21.0, 20.0], 19.0, 0.7,
            TrialSsim: [0.5, 0.6, 0.8], TrialLpips: [0.30, 0.20, 0.10], CopyLastLpips: 0.25);
        Assert.Equal(0.20, result.Lpips);
        Assert.Equal(0.10, result.BestLpips);
    }

    [Fact]
    public void WithoutATruthThereIsNoBestSsimNorLpips()
    {
        var result = new MosoPredictionResult(Empty, Empty, 0, null, null, [], null, null);
        Assert.Null(result.BestSsim);
        Assert.Null(result.Lpips);
        Assert.Null(result.BestLpips);
    }

    [Fact]
    public void EveryTrialIsScoredAndTheKeptOneCarriesItsOwnSsim()
    {
        var model = MosoPipelineTesting.Model();
        var clip = new ShapesClipSource(8, 32, 32, 7, ShapesSplit.Test).Draw(0, 0).Clip;
        var options = MosoSampleOptions.Default with { Motion = MosoSampleOptions.Default.Motion with { Iterations = 2 } };
        using var generator = new torch.Generator(5);
        var truth = clip.Slice(2, 6);
        using var lpips = LpipsWeights.Load(LpipsFixtures.AlexWeights);
        var result = MosoPrediction.Predict(model.Sampler(), model.Config, clip.Slice(0, 2), 6, truth, 3, options, generator, lpips: lpips);

        Assert.Equal(3, result.TrialSsim!.Count);
        Assert.Equal(result.TrialSsim[result.BestTrial], result.Ssim!.Value, 12);
        Assert.Equal(Ssim.Clip(truth, result.Predicted), result.Ssim.Value, 12);
        Assert.Equal(result.TrialSsim.Max(), result.BestSsim!.Value, 12);
        Assert.True(result.BestSsim >= result.Ssim);
        Assert.Equal(3, result.TrialLpips!.Count);
        Assert.Equal(LpipsVideo.Score(lpips, truth, result.Predicted).Mean, result.Lpips!.Value, 9);
        Assert.Equal(LpipsVideo.Score(lpips, truth, MosoPrediction.CopyLast(clip.Slice(0, 2), 6)).Mean, result.CopyLastLpips!.Value, 9);
        Assert.True(result.BestLpips <= result.Lpips);
    }
}
