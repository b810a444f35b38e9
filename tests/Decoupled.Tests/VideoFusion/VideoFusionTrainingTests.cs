using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.VideoFusion;

/// <summary>The trainer with VideoFusion's parameter groups: a frozen base, and a base at a smaller learning rate (section 3.4).</summary>
[Collection(TorchRngCollection.Name)]
public class VideoFusionTrainingTests
{
    private static readonly TrainingOptions OneStep = new()
    {
        Steps = 1, BatchSize = 2, LearningRate = 1e-3, WarmupSteps = 0, EmaDecay = null, GradientClipNorm = null,
        CheckpointEvery = 0, LogEvery = 1, Seed = 3,
    };

    [Fact]
    public void AFrozenBaseGeneratorKeepsItsWeights()
    {
        var (before, after, model) = TrainOneStep(VideoFusionTesting.Tiny() with { FreezeBase = true });
        Assert.Equal(0, LargestChange(before, after, "base_generator."));
        Assert.True(LargestChange(before, after, "residual_generator.") > 0);
        Assert.Single(model.ParameterGroups());
    }

    [Fact]
    public void TheBaseGeneratorMovesAtItsScaledLearningRate()
    {
        // Adam's first step moves every weight with a gradient by about lr, whatever the gradient's size.
        var (before, after, model) = TrainOneStep(VideoFusionTesting.Tiny() with { BaseLearningRateScale = 0.25 });
        double baseStep = LargestChange(before, after, "base_generator."), residualStep = LargestChange(before, after, "residual_generator.");
        Assert.InRange(residualStep, 0.9e-3, 1.01e-3);
        Assert.InRange(baseStep / residualStep, 0.24, 0.26);
        Assert.Equal([1.0, 0.25], model.ParameterGroups().Select(g => g.LearningRateScale));
    }

    private static (Dictionary<string, Tensor> Before, Dictionary<string, Tensor> After, VideoFusionModel Model) TrainOneStep(VideoFusionConfig config)
    {
        using var dir = new TempDir();
        torch.manual_seed(OneStep.Seed);
        var model = new VideoFusionModel(config);
        var before = model.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        var trainer = new Trainer<VideoBatch>(model, OneStep, dir.Path);
        var result = trainer.Run(step => VideoFusionTesting.Batch(config, OneStep.BatchSize, step));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        return (before, model.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone()), model);
    }

    private static double LargestChange(Dictionary<string, Tensor> before, Dictionary<string, Tensor> after, string prefix) =>
        before.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Max(p => (after[p.Key] - p.Value).abs().max().to(ScalarType.Float64).item<double>());
}
