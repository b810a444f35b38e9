using Decoupled.Generators.Diffusion;
using Decoupled.IO;
using Decoupled.Nn.UNet;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;
using Decoupled.Tests.Nn;
using Decoupled.Tests.Video;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.VideoFusion;

/// <summary>VideoFusion's loss, gradients, sampling control, long videos and checkpoints on tiny networks.</summary>
public class VideoFusionModelTests
{
    private static readonly VideoFusionSampleOptions Quick = new() { Steps = 3, Guidance = 2.0 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NonBaseFramesTrainTheBaseGeneratorOnlyWithoutTheStopGradient(bool stopGradient)
    {
        var model = new VideoFusionModel(VideoFusionTesting.Tiny() with { StopGradient = stopGradient });
        NnTesting.Perturb(model.Network, 0.05);
        using var scope = NewDisposeScope();
        var z = torch.randn([2, 3, 4, 16, 16]);
        var t = torch.tensor(new long[] { 100, 700 });
        var conditioning = model.Network.Conditioning(new VideoFusionCondition(torch.tensor(new long[] { 1, 2 })));
        var prediction = DecomposedDenoiser.Predict(model.Noise, z, model.Schedule.Extract(model.Schedule.SqrtOneMinusAlphaBar, t, z),
            frame => model.Network.PredictBase(frame, t, conditioning),
            (zPrime, frames) => model.Network.PredictResidual(zPrime, t, frames, conditioning), model.Config.StopGradient);
        // Equation 14's terms of the non-base frames only (the base frame is 2 of 0..3).
        var loss = prediction.Frames.narrow(2, 0, 2).square().mean() + prediction.Frames.narrow(2, 3, 1).square().mean();
        loss.backward();
        bool baseGotGradient = model.Network.BaseParameters.Any(p => p.grad is not null && p.grad.abs().max().item<float>() > 0);
        Assert.Equal(!stopGradient, baseGotGradient);
        Assert.Contains(model.Network.ResidualGenerator!.parameters(), p => p.grad is not null && p.grad.abs().max().item<float>() > 0);
    }

    [Theory]
    [InlineData(ConditionKind.Label, false)]
    [InlineData(ConditionKind.Label, true)]
    [InlineData(ConditionKind.Text, false)]
    [InlineData(ConditionKind.None, false)]
    public void LossIsFiniteAndReachesBothGenerators(ConditionKind condition, bool shareNoise)
    {
        var model = new VideoFusionModel(VideoFusionTesting.Tiny(condition) with { ShareNoiseByLabel = shareNoise });
        using var batch = VideoFusionTesting.Batch(model.Config, 3);
        using var generator = new Generator(4);
        var loss = model.Loss(batch, generator);
        Assert.True(double.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
        loss.backward();
        Assert.Contains(model.Network.BaseGenerator.parameters(), p => p.grad is not null && p.grad.abs().max().item<float>() > 0);
        Assert.Contains(model.Network.ResidualGenerator!.parameters(), p => p.grad is not null && p.grad.abs().max().item<float>() > 0);
    }

    [Fact]
    public void AResidualGeneratorThatSeesTheBaseFrameDependsOnItsEstimate()
    {
        var config = VideoFusionConfigs.WithResidualSeeingBase(VideoFusionTesting.Tiny());
        Assert.True(config.ResidualSeesBase);
        Assert.False(VideoFusionTesting.Tiny().ResidualSeesBase);
        var model = new VideoFusionModel(config);
        NnTesting.Perturb(model.Network, 0.05);
        using var scope = NewDisposeScope();
        var zPrime = torch.randn([2, 3, 3, 16, 16]);
        var t = torch.tensor(new long[] { 100, 700 });
        var frames = torch.tensor(new long[] { 0, 1, 3 });
        var conditioning = model.Network.Conditioning(new VideoFusionCondition(torch.tensor(new long[] { 1, 2 })));
        var estimate = torch.rand([2, 3, 1, 16, 16]) * 2 - 1;
        var residual = model.Network.PredictResidual(zPrime, t, frames, conditioning, estimate);
        var other = model.Network.PredictResidual(zPrime, t, frames, conditioning, estimate.flip(4));
        Assert.True(NnTesting.MaxError(residual, other) > 1e-4, "another base frame must change the residual prediction");
        // Each clip's frames see their own clip's estimate: changing clip 1's leaves clip 0 alone.
        var onlySecond = model.Network.PredictResidual(zPrime, t, frames, conditioning, torch.cat([estimate.narrow(0, 0, 1), estimate.narrow(0, 1, 1).flip(4)], 0));
        Assert.True(NnTesting.ItemError(residual, onlySecond, 0) < 1e-6);
        Assert.True(NnTesting.ItemError(residual, onlySecond, 1) > 1e-4);
        Assert.Throws<ArgumentException>(() => model.Network.PredictResidual(zPrime, t, frames, conditioning));

        using var batch = VideoFusionTesting.Batch(model.Config, 2);
        using var generator = new Generator(4);
        model.Loss(batch, generator).backward();
        Assert.Contains(model.Network.ResidualGenerator!.named_parameters(),
            p => p.name.StartsWith("first_frame.", StringComparison.Ordinal) && p.parameter.grad is { } g && g.abs().max().item<float>() > 0);

        var plain = new VideoFusionModel(VideoFusionTesting.Tiny());
        Assert.Throws<ArgumentException>(() => plain.Network.PredictResidual(zPrime, t, frames, conditioning, estimate));
        Assert.Throws<UserInputException>(() => VideoFusionConfigs.WithResidualSeeingBase(VideoFusionConfigs.BaseOnly(VideoFusionTesting.Tiny())));
    }

    [Fact]
    public void DdimWithEtaZeroIsDeterministicAndTheBaseNoiseAloneDecidesTheBaseFrame()
    {
        var model = new VideoFusionModel(VideoFusionTesting.Tiny());
        NnTesting.Perturb(model.Network, 0.05);
        int k = model.Noise.BaseFrame;
        var sameBase = model.Sample([new NoiseSeeds(1, 10), new NoiseSeeds(1, 11)], [3, 3], options: Quick);
        var again = model.Sample([new NoiseSeeds(1, 10), new NoiseSeeds(1, 11)], [3, 3], options: Quick);
        var sameResidual = model.Sample([new NoiseSeeds(2, 10), new NoiseSeeds(3, 10)], [3, 3], options: Quick);

        Assert.Equal(sameBase[0].Pixels, again[0].Pixels);
        Assert.Equal(sameBase[1].Pixels, again[1].Pixels);
        Assert.Equal(sameBase[0].Frame(k).ToArray(), sameBase[1].Frame(k).ToArray());
        Assert.NotEqual(sameBase[0].Frame(0).ToArray(), sameBase[1].Frame(0).ToArray());
        Assert.NotEqual(sameResidual[0].Frame(k).ToArray(), sameResidual[1].Frame(k).ToArray());

        var ddpm = model.Sample([new NoiseSeeds(1, 10)], [3], options: Quick with { Sampler = SamplerKind.Ddpm });
        Assert.Equal(4, ddpm[0].Frames);
    }

    [Fact]
    public void LongVideosExtendTheFirstChunkAndKeepIt()
    {
        var model = new VideoFusionModel(VideoFusionTesting.Tiny());
        NnTesting.Perturb(model.Network, 0.05);
        var shortClip = model.Sample([NoiseSeeds.From(5)], [1], options: Quick)[0];
        var longClip = model.Sample([NoiseSeeds.From(5)], [1], options: Quick with { Frames = 11 })[0];
        var twoContext = model.Sample([NoiseSeeds.From(5)], [1], options: Quick with { Frames = 9, ContextFrames = 2 })[0];
        Assert.Equal(11, longClip.Frames);
        Assert.Equal(9, twoContext.Frames);
        Assert.Equal(shortClip.Pixels, longClip.Slice(0, 4).Pixels);
        Assert.Equal(shortClip.Pixels, twoContext.Slice(0, 4).Pixels);
        Assert.Throws<UserInputException>(() => model.Sample([NoiseSeeds.From(5)], [1], options: Quick with { Frames = 9, ContextFrames = 4 }));
    }

    [Fact]
    public void ConfigAndWeightsRoundTripThroughACheckpoint()
    {
        using var dir = new TempDir();
        var config = VideoFusionTesting.Tiny() with { FreezeBase = true, StopGradient = false, BaseLearningRateScale = 0.1, ShareNoiseByLabel = true };
        var model = new VideoFusionModel(config);
        NnTesting.Perturb(model.Network, 0.05);
        CheckpointFolder.Save(dir.Path, config, model.Network);
        var loaded = VideoFusionModel.Load(dir.Path);
        Assert.Equal(JsonFile.Serialize(config), JsonFile.Serialize(loaded.Config));
        Assert.Contains("\"model_type\": \"videofusion\"", File.ReadAllText(Path.Combine(dir.Path, CheckpointFolder.ConfigFile)));
        Assert.Contains("\"lambda\": [", File.ReadAllText(Path.Combine(dir.Path, CheckpointFolder.ConfigFile)));
        var expected = model.Network.state_dict();
        foreach (var (name, tensor) in loaded.Network.state_dict())
            Assert.True(NnTesting.MaxError(expected[name], tensor) == 0, name);
        Assert.Throws<UserInputException>(() => VideoDiffusionModel.Load(dir.Path));
    }

    [Fact]
    public void UNetConfigsWithoutFrameIndicesStillLoad()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(JsonFile.Serialize(NnTesting.Tiny))!.AsObject();
        Assert.True(json.Remove("frame_indices"));
        var config = json.Deserialize<UNet3DConfig>(JsonFile.Options)!;
        Assert.Equal(0, config.FrameIndices);
        Assert.DoesNotContain(new UNet3D(config).state_dict().Keys, k => k.Contains("frame_embedding"));
    }

    [Fact]
    public void APretrainedBaseLoadsIntoTheFullModel()
    {
        using var dir = new TempDir();
        var config = VideoFusionTesting.Tiny();
        var pretrained = new VideoFusionBaseModel(VideoFusionConfigs.BaseOnly(config));
        NnTesting.Perturb(pretrained.Network, 0.05);
        using (var batch = VideoFusionTesting.Batch(config, 2))
        using (var generator = new Generator(2))
            Assert.True(double.IsFinite(pretrained.Loss(batch, generator).item<float>()));
        CheckpointFolder.Save(dir.Path, pretrained.Config, pretrained.Network);
        Assert.DoesNotContain(pretrained.Network.state_dict().Keys, k => k.StartsWith("residual_generator.", StringComparison.Ordinal));

        var model = new VideoFusionModel(config);
        model.LoadPretrainedBase(dir.Path);
        var expected = pretrained.Network.BaseGenerator.state_dict();
        foreach (var (name, tensor) in model.Network.BaseGenerator.state_dict())
            Assert.True(NnTesting.MaxError(expected[name], tensor) == 0, name);

        var wider = new VideoFusionModel(VideoFusionConfigs.Create(4, 16, 16, 8, [1, 2], ConditionKind.Label, VideoFusionTesting.Classes));
        Assert.Throws<UserInputException>(() => wider.LoadPretrainedBase(dir.Path));
        Assert.Single(pretrained.SampleImages([1], [0], steps: 2));
    }
}
