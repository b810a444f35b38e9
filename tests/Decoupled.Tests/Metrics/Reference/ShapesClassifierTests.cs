using Decoupled.Metrics.Reference;
using Decoupled.Nn.Blocks;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Pipelines.Reference;
using Decoupled.Pipelines.Training;
using Decoupled.Runtime;
using Decoupled.Metrics.Features;
using Decoupled.Tensors;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Video;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Metrics.Reference;

/// <summary>The reference shapes classifier: its shapes, its checkpoint, its training and its metrics, at 8x32x32.</summary>
// The trainer reseeds torch's global RNG every step, which would disturb parallel tests that seed it themselves.
[Collection(TorchRngCollection.Name)]
public class ShapesClassifierTests
{
    private static readonly ShapesClassifierConfig Tiny = new() { Frames = 8, Height = 32, Width = 32 };

    private static ShapesClassifierTrainingConfig Training(ShapesClassifierConfig classifier, IReadOnlyList<string> names) =>
        new() { Classifier = classifier, ClassNames = names };

    [Fact]
    public void LogitsFeaturesAndParameterCountFollowTheConfig()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        var network = new ShapesClassifier(Tiny);
        var x = rand([2, 3, 8, 32, 32]) * 2 - 1;
        Assert.Equal(new long[] { 2, 11 }, network.call(x).shape);
        Assert.Equal(new long[] { 2, 128 }, network.Features(x).shape);
        // Another clip size runs too (global pooling); the metric refuses it, not the network.
        Assert.Equal(new long[] { 1, 11 }, network.call(rand([1, 3, 5, 20, 36])).shape);
        // stem 3*16*9+16, GN 32; blocks (spatial 3x3 + GN + temporal 3 + GN): 16->16, 16->32, 32->64; 1x1 to 128 + GN; head 128*11+11.
        long expected = 448 + 32 + (2320 + 32 + 784 + 32) + (4640 + 64 + 3104 + 64) + (18496 + 128 + 12352 + 128) + (8320 + 256) + 1419;
        Assert.Equal(expected, network.parameters().Sum(p => p.numel()));
        Assert.Equal(52_619, expected);
        var names = network.state_dict();
        Assert.Equal(new long[] { 64, 32, 1, 3, 3 }, names["blocks.2.spatial.weight"].shape);
        Assert.Equal(new long[] { 64, 64, 3, 1, 1 }, names["blocks.2.temporal.weight"].shape);
        Assert.Equal(new long[] { 11, 128 }, names["head.weight"].shape);
        Assert.Throws<UserInputException>(() => new ShapesClassifier(Tiny with { Classes = 1 }));
    }

    [Fact]
    public void TemporalConvolutionIsAConv3dWithAKx1x1Kernel()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(4);
        using var scope = NewDisposeScope();
        var conv = new TemporalConv(5, 7, 3);
        var x = randn([2, 5, 6, 3, 4]);
        var reference = nn.functional.conv3d(x, conv.Weight, conv.state_dict()["bias"], padding: [1, 0, 0]);
        var y = conv.call(x);
        Assert.Equal(reference.shape, y.shape);
        Assert.True(OneDnnSelfCheck.RelativeError(y, reference) < 1e-5);
        // It never mixes pixels: a change at one pixel stays at that pixel in every frame.
        var bumped = x.clone();
        bumped[0, 0, 2, 1, 1] += 1;
        var changed = (conv.call(bumped) - y).abs().sum([0, 1, 2]);
        Assert.Equal(1, (changed > 1e-6).sum().item<long>());
    }

    [Fact]
    public void ACheckpointRoundTripGivesIdenticalFeaturesByEitherRoute()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        torch.manual_seed(5);
        var config = Training(Tiny, ShapeAction.All.Select(a => a.Name).ToList());
        var model = new ShapesClassifierModel(config);
        model.Classifier.eval();
        CheckpointFolder.Save(dir.Path, config, model.Classifier);

        var items = ShapesEvaluationSet.Create(4, 8, 32, 32, seed: 1);
        var clips = items.Select(i => i.Clip).ToList();
        using var bytes = DetectorInput.Clips(clips);
        using var floats = ClipTensor.ToBatch(clips);
        using var loaded = ShapesClassifierModel.LoadExtractor(dir.Path);
        using var direct = torch.no_grad();
        using var expected = model.Classifier.Features(floats);
        using var viaBytes = loaded.Features(bytes);
        Assert.Equal(expected.data<float>().ToArray(), viaBytes.data<float>().ToArray());
        Assert.Equal(Tiny, loaded.Config with { ChannelMultipliers = Tiny.ChannelMultipliers });
        Assert.Equal(Tiny.ChannelMultipliers, loaded.Config.ChannelMultipliers);
        Assert.Throws<ArgumentException>(() => loaded.Features(DetectorInput.Clips(ShapesEvaluationSet.Create(1, 6, 32, 32).Select(i => i.Clip).ToList())));
    }

    [Fact]
    public void FdShapesIsTheFrechetDistanceTheFvdMachineryComputesOnItsFeatures()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(6);
        using var extractor = new ShapesClassifierExtractor(new ShapesClassifier(Tiny));
        var real = ShapesEvaluationSet.Create(12, 8, 32, 32, seed: 1);
        var other = ShapesEvaluationSet.Create(12, 8, 32, 32, seed: 2);
        var fake = other.Select(i => i.Clip).ToList();
        var scores = ClassifierEvaluation.Run(real, fake, real, ["fd_shapes", "classifier_accuracy"], extractor, batchSize: 5);
        var fvd = DistributionEvaluation.Run(real, fake, null, ["fvd"], extractor, null, new DistributionEvaluationOptions { BatchSize = 5 });
        // Same features, same Frechet code; only oneDNN (verified on for the classifier pass, off for FVD's) may differ in the last float32 bits.
        Assert.Equal(fvd.Metrics["fvd"].Mean, scores["fd_shapes"].Mean, 6);
        Assert.True(scores["fd_shapes"].Mean > 0);
        Assert.Equal(12, scores["classifier_accuracy"].N);
        Assert.Equal(0.0, ClassifierEvaluation.Run(real, real.Select(i => i.Clip).ToList(), real, ["fd_shapes"], extractor)["fd_shapes"].Mean, 6);
        Assert.Throws<UserInputException>(() => ClassifierEvaluation.Run(real, fake, null, ["classifier_accuracy"], extractor));
        var longer = ShapesEvaluationSet.Create(2, 10, 32, 32).Select(i => i.Clip).ToList();
        Assert.Throws<UserInputException>(() => ClassifierEvaluation.Run(real, longer, null, ["fd_shapes"], extractor));
    }

    [Fact]
    public void AFewDozenStepsSeparateLeftFromRight()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        var options = new TrainingOptions
        {
            Steps = 30, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 0, EmaDecay = null, LogEvery = 1, Seed = 7, CheckpointEvery = 0, PreviewEvery = 0,
        };
        torch.manual_seed(options.Seed);
        var model = new ShapesClassifierModel(Training(Tiny with { Classes = 2 }, ["move_left", "move_right"]));
        var source = new TwoActionSource(seed: 7, ShapesSplit.Train);
        var held = new TwoActionSource(seed: 8, ShapesSplit.Test);
        var heldOut = Enumerable.Range(0, 32).Select(i => held.Draw(0, i)).ToList();
        double Accuracy()
        {
            model.Classifier.eval();
            var predicted = ShapesClassifierModel.Predict(model.Classifier, heldOut);
            model.Classifier.train();
            return Enumerable.Range(0, heldOut.Count).Count(i => predicted[i] == heldOut[i].ClassId) / (double)heldOut.Count;
        }
        double before = Accuracy();
        var trainer = new Trainer<ClassifierBatch>(model, options, dir.Path);
        var result = trainer.Run(step => ClassifierBatch.Draw(source, step, options.BatchSize));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        var rows = TrainingLog.ReadCsv(trainer.Folder.LogCsv);
        double early = rows.Take(5).Average(r => r.Loss), late = rows.TakeLast(5).Average(r => r.Loss);
        double after = Accuracy();
        Assert.True(late < 0.7 * early, $"loss went from {early} to {late}");
        Assert.True(after >= 0.75, $"held-out accuracy {after} (before training {before})");
    }

    // Clips of two actions only (move_left = class 0, move_right = class 1): an easy problem for a few dozen steps.
    private sealed class TwoActionSource(long seed, ShapesSplit split) : IClipSource
    {
        private readonly List<ShapeSubject> subjects = ShapeSubject.All.Where(s => s.Split == split).ToList();

        public string Name => "shapes-left-right";
        public IReadOnlyList<string> ClassNames { get; } = ["move_left", "move_right"];
        public int Frames => 8;
        public int Height => 32;
        public int Width => 32;

        public LabeledClip Draw(long step, int slot)
        {
            var random = new SplitMix64(StepRandom.Seed(seed, step, StepRandom.BatchStream + (ulong)slot));
            var action = slot % 2 == 0 ? ShapeAction.MoveLeft : ShapeAction.MoveRight;
            var subject = subjects[random.NextInt(subjects.Count)];
            var sample = ShapesDataset.Render(subject, action, Frames, Height, Width, random.NextUInt64());
            return new LabeledClip(sample.Clip, action.Id, sample.Caption, subject.Id);
        }
    }
}
