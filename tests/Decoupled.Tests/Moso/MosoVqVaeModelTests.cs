using Decoupled.Decompositions;
using Decoupled.Metrics.Frame;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Moso;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

[Collection(TorchRngCollection.Name)]
public class MosoVqVaeModelTests
{
    private static readonly ShapesClipSource Source = new(8, 32, 32, seed: 5);

    [Fact]
    public void EarlyBatchesFeedTheSplitAndLaterOnesRawFrames()
    {
        var config = MosoPipelineTesting.VqVaeConfig() with { PreprocessSteps = 3 };
        using var early = MosoVqVaeBatch.Draw(Source, 2, 2, config);
        using var late = MosoVqVaeBatch.Draw(Source, 3, 2, config);
        Assert.False(MosoPipelineTesting.Same(early.Videos.Scene, early.Videos.Video));
        Assert.True(MosoPipelineTesting.Same(late.Videos.Scene, late.Videos.Video));
        Assert.True(MosoPipelineTesting.Same(late.Videos.Object, late.Videos.Video));
        // Scene + object is the clip in [0, 255]: in [-1, 1] units, scene + object + 1 = video.
        Assert.True((early.Videos.Scene + early.Videos.Object + 1).allclose(early.Videos.Video, atol: 1e-5));
    }

    [Fact]
    public void TheDiscriminatorTrainsInTheSameBackwardPassOnceItStarts()
    {
        torch.manual_seed(2);
        var config = MosoPipelineTesting.VqVaeConfig() with { DiscriminatorWeight = 0.1, DiscriminatorStart = 1, DiscriminatorWidth = 8 };
        var model = new MosoVqVaeModel(config);
        model.Network.train();
        var discriminator = ((MosoVqVaeTrainingNetwork)model.Network).Discriminator!;
        using (var before = MosoVqVaeBatch.Draw(Source, 0, 2, config))
        using (var loss = model.Loss(before, new Generator(1)))
        {
            loss.backward();
            Assert.Null(model.LastReport!.Adversarial);
            Assert.All(discriminator.parameters(), p => Assert.True(p.grad is null));
        }
        using var batch = MosoVqVaeBatch.Draw(Source, 1, 2, config);
        using var adversarialLoss = model.Loss(batch, new Generator(1));
        adversarialLoss.backward();
        Assert.NotNull(model.LastReport!.Adversarial);
        Assert.All(discriminator.parameters(), p => Assert.True(p.requires_grad));
        Assert.Contains(discriminator.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        Assert.True(model.LastReport.Perplexity >= 1);
    }

    [Fact]
    public void AFewStepsOnOneBatchReduceTheReconstructionError()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(3);
        var config = MosoPipelineTesting.VqVaeConfig() with { PreprocessSteps = 0 };
        var model = new MosoVqVaeModel(config);
        model.Network.train();
        using var optimizer = optim.Adam(model.Network.parameters(), lr: 3e-3);
        using var batch = MosoVqVaeBatch.Draw(Source, 0, 2, config);
        double first = 0, last = 0;
        for (int i = 0; i < 40; i++)
        {
            optimizer.zero_grad();
            using var loss = model.Loss(batch, new Generator(1));
            TorchRuntime.Backward(loss);
            optimizer.step();
            if (i == 0) first = model.LastReport!.Mse;
            last = model.LastReport!.Mse;
        }
        Assert.True(last < 0.7 * first, $"mse {first} -> {last}");
    }

    [Fact]
    public void SwappingAClipWithItselfIsItsReconstruction()
    {
        torch.manual_seed(4);
        var model = new MosoVqVaeModel(MosoPipelineTesting.VqVaeConfig());
        model.Network.eval();
        var clip = Source.Draw(0, 0).Clip;
        var swapped = MosoSwap.Swap(model.VqVae, clip, clip);
        var rebuilt = MosoReconstruction.Views(model.VqVae, [clip]).Reconstructions[0];
        Assert.True(swapped.ContentEquals(rebuilt));
    }

    [Fact]
    public void QualityFromAFrameOnScoresOnlyThoseFrames()
    {
        torch.manual_seed(5);
        var model = new MosoVqVaeModel(MosoPipelineTesting.VqVaeConfig());
        model.Network.eval();
        var clips = new[] { MosoStillTail.Freeze(Source.Draw(0, 0).Clip, 1), Source.Draw(0, 1).Clip };
        var rebuilt = MosoReconstruction.Views(model.VqVae, clips).Reconstructions;
        var (psnr, ssim) = MosoReconstruction.Quality(model.VqVae, clips, batchSize: 1, firstScoredFrame: 2);
        for (int i = 0; i < clips.Length; i++)
        {
            var perFrame = Psnr.PerFrame(clips[i], rebuilt[i]);
            Assert.Equal(perFrame.Skip(2).Average(), psnr[i], 9);
            Assert.NotEqual(perFrame.Average(), psnr[i], 6);
            Assert.Equal(Ssim.Clip(clips[i].Slice(2, 6), rebuilt[i].Slice(2, 6)), ssim[i], 9);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MosoReconstruction.Quality(model.VqVae, clips, firstScoredFrame: 8));
    }
}
