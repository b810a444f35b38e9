using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Moso;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Tensors;
using Decoupled.Tests.Checkpoints;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

[Collection(TorchRngCollection.Name)]
public class MosoTransformerModelTests
{
    private static Tensor Clips(int count, long seed = 7) =>
        ClipTensor.ToBatch(Enumerable.Range(0, count).Select(i => new ShapesClipSource(8, 32, 32, seed, ShapesSplit.Test).Draw(0, i).Clip).ToList());

    private static readonly MosoSampleOptions GivenSceneObject = MosoSampleOptions.Default with { SceneObjectSource = MosoSceneObjectSource.Given };

    /// <summary>A tiny random model, its sampler and the prediction layout.</summary>
    private static (MosoTransformerModel Model, MosoSampler Sampler, MosoTaskLayout Layout) Predictor()
    {
        var model = MosoPipelineTesting.Model();
        return (model, model.Sampler(), model.Config.Layout(MosoTask.Prediction));
    }

    [Fact]
    public void PredictionNeverReadsFramesAfterTheContext()
    {
        // The released code appears to leak frame K+1 into the conditioning; here only the K given frames may matter.
        var (model, sampler, layout) = Predictor();
        using var video = Clips(2);
        using var altered = video.clone();
        using (torch.no_grad())
            altered[.., .., TensorIndex.Slice(2)] = torch.rand_like(altered[.., .., TensorIndex.Slice(2)]) * 2 - 1;
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        using var a = sampler.SampleTensor(layout, video, 2, MosoSampleOptions.Default, g1);
        using var b = sampler.SampleTensor(layout, altered, 2, MosoSampleOptions.Default, g2);
        Assert.True(MosoPipelineTesting.Same(a, b));
        using var g3 = new Generator(5);
        using var earlier = video.clone();
        using (torch.no_grad()) earlier[.., .., 1] = torch.rand_like(earlier[.., .., 1]) * 2 - 1;
        using var c = sampler.SampleTensor(layout, earlier, 2, MosoSampleOptions.Default, g3);
        Assert.False(MosoPipelineTesting.Same(a, c));
    }

    [Fact]
    public void GivenSceneObjectTokensAreThePseudoVideosOwnAndThePredictedOnesDiffer()
    {
        var (model, sampler, layout) = Predictor();
        using var video = Clips(2);
        using var pseudo = MosoTokens.Encode(model.TrainingNetwork.VqVae, layout.PseudoVideo(video));
        using var g1 = new Generator(3);
        using var taken = sampler.SampleTokens(layout, video, 2, GivenSceneObject, g1);
        Assert.True(MosoPipelineTesting.Same(pseudo.Scene!, taken.Scene!));
        Assert.True(MosoPipelineTesting.Same(pseudo.Object!, taken.Object!));
        // An untrained TransformerSO samples near-uniform tokens, so the paper's source gives others.
        using var g2 = new Generator(3);
        using var predicted = sampler.SampleTokens(layout, video, 2, MosoSampleOptions.Default, g2);
        Assert.False(MosoPipelineTesting.Same(pseudo.SceneObjectSequence(), predicted.SceneObjectSequence()));
        // Either way the given frames' motion tokens are kept as encoded (equation 12).
        Assert.True(MosoPipelineTesting.Same(pseudo.Motion[.., TensorIndex.Slice(0, 2)], taken.Motion[.., TensorIndex.Slice(0, 2)]));
        Assert.Equal(pseudo.Motion.shape, taken.Motion.shape);
    }

    [Fact]
    public void SampledTokensDecodeToTheSampledClip()
    {
        var (model, sampler, layout) = Predictor();
        using var video = Clips(2);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var tokens = sampler.SampleTokens(layout, video, 2, MosoSampleOptions.Default, g1);
        using var clip = sampler.SampleTensor(layout, video, 2, MosoSampleOptions.Default, g2);
        using var noGrad = torch.no_grad();
        using var again = model.TrainingNetwork.VqVae.DecodeTokens(tokens.Scene, tokens.Object, tokens.Motion).clamp(-1, 1);
        Assert.True(MosoPipelineTesting.Same(clip, again));
    }

    [Fact]
    public void GivenSceneObjectTokensNeedGivenFrames()
    {
        var (_, sampler, _) = Predictor();
        using var generator = new Generator(1);
        Assert.Throws<ArgumentException>(() => sampler.Generate(1, GivenSceneObject, generator));
    }

    [Fact]
    public void GivenFramesKeepTheirMotionTokensInThePseudoVideo()
    {
        // Equation 12: with working pools that end at frame K, the pseudo video's first K motion tokens are the target's.
        var model = MosoPipelineTesting.Model();
        var layout = model.Config.Layout(MosoTask.Prediction);
        using var video = Clips(3);
        using var target = MosoTokens.Encode(model.TrainingNetwork.VqVae, video);
        using var pseudo = MosoTokens.Encode(model.TrainingNetwork.VqVae, layout.PseudoVideo(video));
        Assert.True(MosoPipelineTesting.Same(target.Motion[.., TensorIndex.Slice(0, 2)], pseudo.Motion[.., TensorIndex.Slice(0, 2)]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheLossTrainsTheTransformersOnlyAndLeavesTheCodebookAlone(bool decomposed)
    {
        var model = MosoPipelineTesting.Model(decomposed);
        var network = model.TrainingNetwork;
        network.train();
        var codebookBefore = network.VqVae.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var batch = VideoBatch.Draw(new ShapesClipSource(8, 32, 32, 3), 0, 4);
        using var generator = new Generator(11);
        using var loss = model.Loss(batch, generator);
        Assert.True(double.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
        loss.backward();
        Assert.All(network.VqVae.parameters(), p => Assert.True(p.grad is null));
        Assert.Contains(network.Transformer.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        foreach (var (name, tensor) in network.VqVae.state_dict())
            Assert.True(MosoPipelineTesting.Same(tensor, codebookBefore[name]), name);
    }

    [Fact]
    public void InterpolationKeepsTheGivenEndsAndGenerationFillsEveryFrame()
    {
        var model = MosoPipelineTesting.Model();
        var sampler = model.Sampler();
        using var video = Clips(1);
        using var generator = new Generator(3);
        var options = MosoSampleOptions.Default with { Motion = MosoSampleOptions.Default.Motion with { Iterations = 2 } };
        var filled = sampler.Sample(model.Config.Layout(MosoTask.Interpolation), video, options, generator)[0];
        var original = ClipTensor.FromBatch(video)[0];
        foreach (int t in new[] { 0, 1, 6, 7 })
            Assert.True(filled.Frame(t).SequenceEqual(original.Frame(t)));
        var generated = sampler.Generate(2, options, generator);
        Assert.Equal(2, generated.Length);
        Assert.Equal(8, generated[0].Frames);
    }

    [Fact]
    public void InitialisingFromACheckpointCopiesTheTransformersAndKeepsTheOwnVqVae()
    {
        var folder = Path.Combine(Path.GetTempPath(), "moso-init-" + Guid.NewGuid().ToString("N"));
        try
        {
            var trained = MosoPipelineTesting.Model(seed: 1);
            CheckpointFolder.Save(folder, trained.Config, trained.Network, ema: trained.Network);
            var fresh = MosoPipelineTesting.Model(seed: 2);
            var ownVqVae = fresh.TrainingNetwork.VqVae.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());
            Assert.False(SameWeights(trained.TrainingNetwork.Transformer, fresh.TrainingNetwork.Transformer));

            fresh.InitialiseTransformerFrom(folder);
            Assert.True(SameWeights(trained.TrainingNetwork.Transformer, fresh.TrainingNetwork.Transformer));
            Assert.All(fresh.TrainingNetwork.VqVae.state_dict(), e => Assert.True(MosoPipelineTesting.Same(ownVqVae[e.Key], e.Value)));

            var wider = new MosoTransformerModel(fresh.Config with { Net = fresh.Config.Net with { Width = 24, MlpWidth = 48 } }, fresh.TrainingNetwork.VqVae);
            var error = Assert.Throws<UserInputException>(() => wider.InitialiseTransformerFrom(folder));
            Assert.Contains("width 16", error.Message);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static bool SameWeights(nn.Module a, nn.Module b)
    {
        var other = b.state_dict();
        return a.state_dict().All(e => MosoPipelineTesting.Same(e.Value, other[e.Key]));
    }
}
