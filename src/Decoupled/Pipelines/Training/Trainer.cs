using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Decoupled.IO;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// The training loop every model shares: AdamW with warm-up and optional cosine decay, gradient
/// clipping, an EMA of the weights, logs and a loss curve, previews, atomic checkpoints, exact
/// resume, and a clean stop on divergence, time limit or cancellation.
/// <para>
/// Exact resume rests on one rule: nothing random carries over between steps. Step <c>s</c>
/// gets its batch from the batch source, its loss generator from
/// (<see cref="TrainingOptions.Seed"/>, s), and torch's global RNG is reseeded from (seed, s) before
/// it (see <see cref="StepRandom"/>). Weights, EMA, AdamW moments and the step come from the checkpoint.
/// </para>
/// </summary>
/// <typeparam name="TBatch">What the batch source yields for one step.</typeparam>
/// <param name="model">The model to train. Build its network after <c>torch.manual_seed(options.Seed)</c> so the initial weights follow the seed.</param>
/// <param name="options">How to train.</param>
/// <param name="run">The run folder (see <see cref="RunFolder"/>).</param>
public sealed class Trainer<TBatch>(ITrainableModel<TBatch> model, TrainingOptions options, string run)
{
    private static readonly JsonSerializerOptions CompactJson = new(JsonFile.Options) { WriteIndented = false };

    /// <summary>Raised after every step, on the training thread.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>The run's files.</summary>
    public RunFolder Folder { get; } = new(run);

    /// <summary>
    /// Trains up to <see cref="TrainingOptions.Steps"/>. <paramref name="batches"/> returns the batch
    /// of a 0-based step and must derive any randomness from (seed, step) (see
    /// <see cref="StepRandom.Random"/>), so a resumed run sees the same batches. With
    /// <paramref name="resume"/>, training continues from <c>RUN/checkpoint</c> when there is one
    /// (and starts afresh when there is none); without it, an existing checkpoint is a
    /// <see cref="UserInputException"/> rather than something to overwrite.
    /// </summary>
    public TrainingResult Run(Func<long, TBatch> batches, bool resume = false, CancellationToken cancellation = default)
    {
        options.Validate();
        TorchRuntime.Initialize();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Folder.Path);

        var network = model.Network;
        network.train();
        var ema = options.EmaDecay is { } decay ? new ExponentialMovingAverage(network, model.CreateNetwork(), decay) : null;
        ema?.Average.eval();
        var groups = model.ParameterGroups();
        var learningRateScales = groups.Select(g => g.LearningRateScale).ToArray();
        using var optimizer = CreateOptimizer(network, groups);

        var (start, earlierSeconds) = resume && CheckpointFolder.Exists(Folder.Checkpoint)
            ? Restore(network, ema, optimizer)
            : (0L, 0.0);
        if (!resume && CheckpointFolder.Exists(Folder.Checkpoint))
            throw new UserInputException($"{Folder.Checkpoint}: this run folder already holds a checkpoint; resume it or choose another folder");
        // The first batch is drawn once: it feeds the oneDNN self-check and then the first step.
        var firstBatch = start < options.Steps ? batches(start) : default;
        batches = FirstThen(firstBatch, start, batches);
        OneDnnCheck? oneDnnCheck = null;
        using var oneDnn = start < options.Steps
            ? OneDnnSelfCheck.UseVerifiedForTraining(network, () => CheckLoss(firstBatch!, start), out oneDnnCheck)
            : TorchRuntime.UseOneDnn(TorchRuntime.OneDnn);
        RuntimeCheck = oneDnnCheck;
        var log = start > 0 ? TrainingLog.Resume(Folder.LogCsv, Folder.LogJsonl, start) : TrainingLog.Create(Folder.LogCsv, Folder.LogJsonl);

        long step = start;
        long? savedStep = start > 0 ? start : null;
        double? lastLoss = null;
        int badInARow = 0;
        var lastRow = (Step: start, Seconds: 0.0);
        var status = TrainingStatus.Completed;
        string? divergence = null;

        while (step < options.Steps)
        {
            if (cancellation.IsCancellationRequested) { status = TrainingStatus.Cancelled; break; }
            if (clock.Elapsed.TotalSeconds >= options.MaxSeconds) { status = TrainingStatus.TimeLimit; break; }

            double lr = LearningRateSchedule.At(options, step);
            var (loss, gradNorm) = TrainStep(step, lr, learningRateScales, batches, optimizer);
            if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
            {
                // The update was not applied: the weights are still those of the last good step.
                if (++badInARow > options.SkipNonFiniteSteps)
                {
                    status = TrainingStatus.Diverged;
                    divergence = $"step {step + 1}: loss {Text(loss)}, gradient norm {Text(gradNorm)}";
                    break;
                }
                step++;
                continue;
            }
            badInARow = 0;
            step++;
            lastLoss = loss;
            if (ema is not null)
            {
                if (step > options.EmaStartStep) ema.Update(ExponentialMovingAverage.WarmupDecay(ema.Decay, step - options.EmaStartStep - 1));
                else ema.CopyFromSource();
            }

            double seconds = clock.Elapsed.TotalSeconds;
            if (Due(step, options.LogEvery) || step == options.Steps)
            {
                double rate = options.BatchSize * (step - lastRow.Step) / Math.Max(1e-9, seconds - lastRow.Seconds);
                log.Append(new TrainingLogRow(step, loss, lr, gradNorm, earlierSeconds + seconds, rate));
                lastRow = (step, seconds);
            }
            if (Due(step, options.CheckpointEvery) && step < options.Steps)
                savedStep = Save(network, ema, optimizer, step, earlierSeconds + clock.Elapsed.TotalSeconds, log);
            if (Due(step, options.PreviewEvery))
                Preview(network, ema, step);
            Progress?.Invoke(ProgressOf(step, start, loss, lr, clock.Elapsed));
        }

        if (status != TrainingStatus.Diverged && savedStep != step)
            savedStep = Save(network, ema, optimizer, step, earlierSeconds + clock.Elapsed.TotalSeconds, log);
        if (status == TrainingStatus.Diverged)
            LossCurvePlot.Write(Folder.LossPlot, log.Rows);

        string checkpoint = savedStep is null ? "no checkpoint was written" : $"{Folder.Checkpoint} holds step {savedStep}";
        string message = status switch
        {
            TrainingStatus.Completed => $"trained {options.Steps} steps; {checkpoint}",
            TrainingStatus.TimeLimit => $"stopped at step {step} after {options.MaxSeconds} s (time limit); {checkpoint}",
            TrainingStatus.Cancelled => $"cancelled at step {step}; {checkpoint}",
            _ => $"training diverged at {divergence}; stopped without saving; {checkpoint}",
        };
        return new TrainingResult(status, step, step - start, lastLoss, clock.Elapsed.TotalSeconds,
            savedStep is null ? null : Folder.Checkpoint, savedStep, message);
    }

    /// <summary>What the oneDNN self-check at the start of the last <see cref="Run"/> found (null when the policy is forced; see <see cref="TorchRuntime"/>).</summary>
    public OneDnnCheck? RuntimeCheck { get; private set; }

    // The loss of the first step to come, for the oneDNN self-check (same batch, same autocast as training).
    private Tensor CheckLoss(TBatch batch, long step)
    {
        using var generator = StepRandom.Generator(options.Seed, step, StepRandom.LossStream);
        using (options.Bf16 ? Bf16Autocast.Enter() : null)
            return model.Loss(batch, generator);
    }

    // Hands out an already drawn batch for its step once, and asks the source for every other step.
    private static Func<long, TBatch> FirstThen(TBatch? first, long firstStep, Func<long, TBatch> batches)
    {
        bool pending = true;
        return step =>
        {
            if (pending && step == firstStep) { pending = false; return first!; }
            return batches(step);
        };
    }

    /// <summary>One optimizer step; returns the loss and the gradient norm before clipping. Non-finite values leave the weights alone.</summary>
    private (double Loss, double GradNorm) TrainStep(long step, double lr, double[] learningRateScales, Func<long, TBatch> batches, optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed((long)StepRandom.Seed(options.Seed, step, StepRandom.GlobalStream));
        using var generator = StepRandom.Generator(options.Seed, step, StepRandom.LossStream);
        var batch = batches(step);
        optimizer.zero_grad();
        Tensor loss;
        using (options.Bf16 ? Bf16Autocast.Enter() : null)
            loss = model.Loss(batch, generator);
        double value = loss.detach().to(ScalarType.Float64).item<double>();
        if (!double.IsFinite(value))
            return (value, double.NaN);
        TorchRuntime.Backward(loss);
        double norm = GradientClipping.ClipGlobalNorm(model.Network.parameters(), options.GradientClipNorm);
        if (!double.IsFinite(norm))
            return (value, norm);
        int index = 0;
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = lr * learningRateScales[index++];
        optimizer.step();
        return (value, norm);
    }

    // AdamW over the model's parameter groups; one plain group (the common case) keeps the optimizer
    // exactly as it was before groups existed, so earlier checkpoints resume.
    private optim.Optimizer CreateOptimizer(nn.Module network, IReadOnlyList<ParameterGroup> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("the model has no parameter group to train");
        if (groups.Any(g => !(g.LearningRateScale >= 0 && double.IsFinite(g.LearningRateScale))))
            throw new ArgumentException("learning-rate scales must be finite numbers >= 0");
        if (groups.Count == 1 && groups[0].LearningRateScale == 1.0)
            return optim.AdamW(groups[0].Parameters, lr: options.LearningRate,
                beta1: options.Beta1, beta2: options.Beta2, weight_decay: options.WeightDecay);
        var known = network.parameters().Select(p => p.Handle).ToHashSet();
        if (groups.SelectMany(g => g.Parameters).Any(p => !known.Contains(p.Handle)))
            throw new ArgumentException("a parameter group holds a parameter that is not part of the network");
        return optim.AdamW(groups.Select(g => new TorchSharp.Modules.AdamW.ParamGroup(g.Parameters, lr: options.LearningRate * g.LearningRateScale,
            beta1: options.Beta1, beta2: options.Beta2, weight_decay: options.WeightDecay)), lr: options.LearningRate,
            beta1: options.Beta1, beta2: options.Beta2, weight_decay: options.WeightDecay);
    }

    private (long Step, double Seconds) Restore(nn.Module network, ExponentialMovingAverage? ema, optim.Optimizer optimizer)
    {
        var folder = Folder.Checkpoint;
        CheckpointFolder.LoadWeights(folder, network);
        var state = CheckpointFolder.LoadTraining(folder, network, optimizer);
        if (state.Seed != options.Seed)
            throw new UserInputException($"{folder}: the run was trained with seed {state.Seed}, not {options.Seed}; resume with the same seed");
        if (ema is not null)
        {
            if (CheckpointFolder.HasEma(folder)) CheckpointFolder.LoadWeights(folder, ema.Average, useEma: true);
            else ema.CopyFromSource();
        }
        double seconds = state.Extra.TryGetValue("seconds", out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;
        return (state.Step, seconds);
    }

    private long Save(nn.Module network, ExponentialMovingAverage? ema, optim.Optimizer optimizer, long step, double seconds, TrainingLog log)
    {
        var extra = new Dictionary<string, string>
        {
            ["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture),
            ["options"] = JsonSerializer.Serialize(options, CompactJson),
        };
        var state = new TrainerState(step, options.Seed) { Extra = extra };
        CheckpointFolder.Save(Folder.Checkpoint, model.Config, network, ema?.Average, new TrainingSnapshot(optimizer, state));
        LossCurvePlot.Write(Folder.LossPlot, log.Rows);
        return step;
    }

    private void Preview(nn.Module network, ExponentialMovingAverage? ema, long step)
    {
        var folder = Folder.Preview(step);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);   // left by a run that was resumed from before this step
        Directory.CreateDirectory(folder);
        var weights = ema?.Average ?? network;
        weights.eval();
        try
        {
            using var noGrad = torch.no_grad();
            model.Preview(folder, step, weights);
        }
        finally
        {
            network.train();
            ema?.Average.eval();
        }
    }

    private TrainingProgress ProgressOf(long step, long start, double loss, double lr, TimeSpan elapsed)
    {
        double perSecond = (step - start) / Math.Max(1e-9, elapsed.TotalSeconds);
        var eta = TimeSpan.FromSeconds((options.Steps - step) / Math.Max(1e-9, perSecond));
        return new TrainingProgress(step, options.Steps, loss, lr, perSecond, perSecond * options.BatchSize, elapsed, eta);
    }

    private static bool Due(long step, long every) => every > 0 && step % every == 0;

    private static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
