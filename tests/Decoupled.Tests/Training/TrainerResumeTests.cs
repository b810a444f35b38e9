using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Training;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Training;

/// <summary>
/// 2N steps straight versus N steps, a crash a little later, and a resume: the loss of every step,
/// the logs and the final weights (EMA included) must be the same, bit for bit. Cosine decay,
/// warm-up, clipping, weight decay, EMA, dropout and loss noise are all on.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class TrainerResumeTests
{
    private const int N = 12;

    private static readonly TrainingOptions Options = new()
    {
        Steps = 2 * N, BatchSize = 16, LearningRate = 0.02, WarmupSteps = 5, Decay = LearningRateDecay.Cosine,
        MinLearningRate = 0.002, WeightDecay = 0.01, GradientClipNorm = 0.5, EmaDecay = 0.8, EmaStartStep = 3,
        CheckpointEvery = N, LogEvery = 2, Seed = 21,
    };

    [Fact]
    public void ResumedRunMatchesAnUninterruptedOne()
    {
        TorchRuntime.Initialize();
        using var straightDir = new TempDir();
        using var resumedDir = new TempDir();

        torch.manual_seed(Options.Seed);
        var straight = new Trainer<TinyBatch>(new TinyRegression(), Options, straightDir.Path);
        var straightLosses = Losses(straight);
        var straightBatches = new List<long>();
        straight.Run(Recording(straightBatches));

        torch.manual_seed(Options.Seed);
        var crashing = new Trainer<TinyBatch>(new TinyRegression(), Options, resumedDir.Path);
        var firstLosses = Losses(crashing);
        crashing.Progress += p =>
        {
            if (p.Step == N + 3) throw new InvalidOperationException("simulated crash");
        };
        Assert.Throws<InvalidOperationException>(() => crashing.Run(TinyRegression.Batches(Options.Seed)));
        Assert.Equal(N + 3, TrainingLog.ReadCsv(crashing.Folder.LogCsv).Max(r => r.Step) + 1);   // rows up to N+2 were written

        // A fresh process: other initial weights and another global RNG state.
        torch.manual_seed(777);
        torch.randn(13);
        var resumed = new Trainer<TinyBatch>(new TinyRegression(), Options, resumedDir.Path);
        var resumedLosses = Losses(resumed);
        var resumedBatches = new List<long>();
        var result = resumed.Run(Recording(resumedBatches), resume: true);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(N, result.StepsThisSession);
        Assert.Equal(Enumerable.Range(N, N).Select(s => (long)s), resumedBatches);
        Assert.Equal(straightBatches.Skip(N), resumedBatches);
        Assert.Equal(straightLosses, [.. firstLosses.Take(N), .. resumedLosses]);

        var expectedRows = TrainingLog.ReadCsv(straight.Folder.LogCsv);
        var rows = TrainingLog.ReadCsv(resumed.Folder.LogCsv);
        Assert.Equal(Enumerable.Range(1, N).Select(i => 2L * i), rows.Select(r => r.Step));
        Assert.Equal(expectedRows.Select(r => (r.Step, r.Loss, r.Lr, r.GradNorm)), rows.Select(r => (r.Step, r.Loss, r.Lr, r.GradNorm)));
        Assert.Equal(rows, TrainingLog.ReadJsonl(resumed.Folder.LogJsonl));

        foreach (var useEma in new[] { false, true })
        {
            using var scope = NewDisposeScope();
            var a = new TinyRegression().Network;
            var b = new TinyRegression().Network;
            CheckpointFolder.LoadWeights(straight.Folder.Checkpoint, a, useEma);
            CheckpointFolder.LoadWeights(resumed.Folder.Checkpoint, b, useEma);
            foreach (var (name, tensor) in a.state_dict())
                Assert.True(tensor.bytes.SequenceEqual(b.state_dict()[name].bytes), $"{(useEma ? "EMA " : "")}{name} differs from the uninterrupted run");
        }
    }

    private static List<double> Losses(Trainer<TinyBatch> trainer)
    {
        var losses = new List<double>();
        trainer.Progress += p => losses.Add(p.Loss);
        return losses;
    }

    private static Func<long, TinyBatch> Recording(List<long> steps)
    {
        var source = TinyRegression.Batches(Options.Seed);
        return step =>
        {
            steps.Add(step);
            return source(step);
        };
    }
}
