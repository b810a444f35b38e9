using Decoupled.Tests.Checkpoints;
using System.Buffers.Binary;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Training;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Training;

// The trainer reseeds torch's global RNG every step, which would disturb parallel tests that seed it themselves.
[Collection(TorchRngCollection.Name)]
public class TrainerTests
{
    private static readonly TrainingOptions Tiny = new()
    {
        Steps = 150, BatchSize = 16, LearningRate = 0.02, WarmupSteps = 10, EmaDecay = 0.9,
        CheckpointEvery = 50, LogEvery = 10, Seed = 11,
    };

    [Fact]
    public void LossGoesDownAndTheRunFolderIsComplete()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        torch.manual_seed(Tiny.Seed);
        var model = new TinyRegression();
        var trainer = new Trainer<TinyBatch>(model, Tiny with { PreviewEvery = 75 }, dir.Path);
        var progress = new List<TrainingProgress>();
        trainer.Progress += progress.Add;

        var result = trainer.Run(TinyRegression.Batches(Tiny.Seed, Tiny.BatchSize));

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(150, result.Step);
        Assert.Equal(150, result.CheckpointStep);
        var rows = TrainingLog.ReadCsv(trainer.Folder.LogCsv);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => i * 10L), rows.Select(r => r.Step));
        double early = progress.Take(3).Average(p => p.Loss), late = progress.TakeLast(10).Average(p => p.Loss);
        Assert.True(late < 0.3 * early, $"loss went from {early} to {late}");
        Assert.Equal(rows, TrainingLog.ReadJsonl(trainer.Folder.LogJsonl));
        Assert.Equal(LearningRateSchedule.At(Tiny, 9), rows[0].Lr);
        Assert.All(rows, r => Assert.True(r.GradNorm > 0 && r.ItemsPerSecond > 0 && r.Seconds > 0));

        AssertPng(trainer.Folder.LossPlot, 900, 500);
        Assert.Equal([75L, 150L], model.PreviewSteps);
        Assert.Equal("75 False", File.ReadAllText(Path.Combine(trainer.Folder.Preview(75), "preview.txt")));
        Assert.True(CheckpointFolder.HasEma(trainer.Folder.Checkpoint));
        Assert.Contains("\"model_type\": \"tiny-regression\"", File.ReadAllText(Path.Combine(trainer.Folder.Checkpoint, CheckpointFolder.ConfigFile)));
        Assert.Contains("warmup_steps", File.ReadAllText(Path.Combine(trainer.Folder.Checkpoint, CheckpointFolder.TrainerStateFile)));

        Assert.Equal(150, progress.Count);
        Assert.Equal(150, progress[^1].Step);
        Assert.Equal(TimeSpan.Zero, progress[^1].Eta);
        Assert.StartsWith("step 150/150  loss ", PlainTextProgress.Format(progress[^1]));
    }

    [Fact]
    public void NonFiniteLossStopsAndKeepsTheLastGoodCheckpoint()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        torch.manual_seed(1);
        var model = new TinyRegression { NanAtStep = 7 };
        var options = Tiny with { Steps = 20, CheckpointEvery = 3, LogEvery = 1 };
        var trainer = new Trainer<TinyBatch>(model, options, dir.Path);
        Dictionary<string, Tensor>? atSix = null;
        trainer.Progress += p =>
        {
            if (p.Step == 6)
                atSix = model.Network.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone().DetachFromDisposeScope());
        };

        var result = trainer.Run(TinyRegression.Batches(options.Seed));

        Assert.Equal(TrainingStatus.Diverged, result.Status);
        Assert.Contains("step 8: loss NaN", result.Message);
        Assert.Contains("holds step 6", result.Message);
        Assert.Equal(6, result.CheckpointStep);
        Assert.Equal(7, result.Step);
        // Step 7 trained but was not a checkpoint step; step 8 broke: the folder still holds step 6, weights included.
        var reloaded = new TinyRegression();
        CheckpointFolder.LoadWeights(trainer.Folder.Checkpoint, reloaded.Network);
        using (var optimizer = optim.AdamW(reloaded.Network.parameters()))
            Assert.Equal(6, CheckpointFolder.LoadTraining(trainer.Folder.Checkpoint, reloaded.Network, optimizer).Step);
        foreach (var (name, tensor) in reloaded.Network.state_dict())
            Assert.True(tensor.bytes.SequenceEqual(atSix![name].bytes), $"{name} is not the step-6 weight");
        Assert.Equal(7, TrainingLog.ReadCsv(trainer.Folder.LogCsv).Count);
    }

    [Fact]
    public void OneNonFiniteStepCanBeSkipped()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        torch.manual_seed(1);
        var model = new TinyRegression { NanAtStep = 4 };
        var options = Tiny with { Steps = 10, SkipNonFiniteSteps = 1, LogEvery = 1 };
        var result = new Trainer<TinyBatch>(model, options, dir.Path).Run(TinyRegression.Batches(options.Seed));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        var steps = TrainingLog.ReadCsv(Path.Combine(dir.Path, "log.csv")).Select(r => r.Step);
        Assert.Equal([1L, 2, 3, 4, 6, 7, 8, 9, 10], steps);
    }

    [Fact]
    public void WallClockLimitStopsWithACheckpoint()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        torch.manual_seed(1);
        var model = new TinyRegression { Delay = TimeSpan.FromMilliseconds(20) };
        var options = Tiny with { Steps = 100_000, MaxSeconds = 0.5, CheckpointEvery = 0 };
        var result = new Trainer<TinyBatch>(model, options, dir.Path).Run(TinyRegression.Batches(options.Seed));

        Assert.Equal(TrainingStatus.TimeLimit, result.Status);
        Assert.InRange(result.Step, 1, 100);
        Assert.Equal(result.Step, result.CheckpointStep);
        Assert.InRange(result.Seconds, 0.5, 10);
        using var optimizer = optim.AdamW(model.Network.parameters());
        Assert.Equal(result.Step, CheckpointFolder.LoadTraining(Path.Combine(dir.Path, "checkpoint"), model.Network, optimizer).Step);
    }

    [Fact]
    public void CancellationStopsWithACheckpointThatResumes()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        var options = Tiny with { Steps = 12 };
        using var cancel = new CancellationTokenSource();
        var trainer = new Trainer<TinyBatch>(new TinyRegression(), options, dir.Path);
        trainer.Progress += p => { if (p.Step == 5) cancel.Cancel(); };
        var stopped = trainer.Run(TinyRegression.Batches(options.Seed), cancellation: cancel.Token);
        Assert.Equal(TrainingStatus.Cancelled, stopped.Status);
        Assert.Equal(5, stopped.CheckpointStep);

        var resumed = new Trainer<TinyBatch>(new TinyRegression(), options, dir.Path).Run(TinyRegression.Batches(options.Seed), resume: true);
        Assert.Equal(TrainingStatus.Completed, resumed.Status);
        Assert.Equal(7, resumed.StepsThisSession);
        Assert.Equal(12, resumed.CheckpointStep);
    }

    [Fact]
    public void PlainTextProgressThrottlesButWritesTheLastStep()
    {
        var writer = new StringWriter();
        var reporter = new PlainTextProgress(writer, TimeSpan.FromSeconds(10));
        foreach (var second in new[] { 1, 5, 12, 13 })
            reporter.Report(new TrainingProgress(second, 14, 0.5, 1e-4, 1, 8, TimeSpan.FromSeconds(second), TimeSpan.FromSeconds(14 - second)));
        reporter.Report(new TrainingProgress(14, 14, 0.25, 1e-4, 1, 8, TimeSpan.FromSeconds(14), TimeSpan.Zero));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["step 1/14", "step 12/14", "step 14/14"], lines.Select(l => l[..l.IndexOf("  ", StringComparison.Ordinal)]));
        Assert.Equal("step 14/14  loss 0.2500  lr 1.00e-04  1.00 it/s  8.0 items/s  eta 00:00", lines[^1].TrimEnd());
    }

    [Fact]
    public void AnExistingRunIsNotOverwrittenWithoutResume()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        var options = Tiny with { Steps = 2 };
        new Trainer<TinyBatch>(new TinyRegression(), options, dir.Path).Run(TinyRegression.Batches(options.Seed));
        var again = new Trainer<TinyBatch>(new TinyRegression(), options, dir.Path);
        var error = Assert.Throws<UserInputException>(() => again.Run(TinyRegression.Batches(options.Seed)));
        Assert.Contains("already holds a checkpoint", error.Message);
        var otherSeed = new Trainer<TinyBatch>(new TinyRegression(), options with { Seed = 99, Steps = 4 }, dir.Path);
        Assert.Contains("seed 11, not 99", Assert.Throws<UserInputException>(() => otherSeed.Run(TinyRegression.Batches(99), resume: true)).Message);
    }

    [Fact]
    public void Bf16TrainsAboutAsWellAsFp32()
    {
        TorchRuntime.Initialize();
        double Final(bool bf16)
        {
            using var dir = new TempDir();
            torch.manual_seed(5);
            var options = Tiny with { Steps = 120, Bf16 = bf16, EmaDecay = null };
            var result = new Trainer<TinyBatch>(new TinyRegression(32), options, dir.Path).Run(TinyRegression.Batches(options.Seed));
            return TrainingLog.ReadCsv(Path.Combine(dir.Path, "log.csv")).TakeLast(3).Average(r => r.Loss);
        }
        double fp32 = Final(false), bf16 = Final(true);
        Assert.InRange(bf16, 0, Math.Max(0.02, 1.5 * fp32));
    }

    internal static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 5000, "a curve, axes and labels make more than a blank image");
    }
}
