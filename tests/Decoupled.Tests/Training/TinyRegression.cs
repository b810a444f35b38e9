using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Training;

/// <summary>The config of <see cref="TinyRegression"/>.</summary>
public sealed record TinyRegressionConfig(int Hidden) : IModelConfig
{
    public string ModelType => "tiny-regression";
}

/// <summary>One step's batch; the step is carried so a test model can misbehave at a chosen step.</summary>
public sealed record TinyBatch(long Step, Tensor X, Tensor Y);

/// <summary>
/// A small MLP (with dropout, so torch's global RNG matters) fitting y = sin(x . w) plus noise
/// drawn from the loss generator: every source of randomness the trainer has to make repeatable.
/// </summary>
public sealed class TinyRegression(int hidden = 16) : ITrainableModel<TinyBatch>
{
    public IModelConfig Config { get; } = new TinyRegressionConfig(hidden);

    public nn.Module Network { get; } = Build(hidden);

    /// <summary>The loss of this 0-based step becomes NaN (null: never).</summary>
    public long? NanAtStep { get; init; }

    /// <summary>Sleeps this long in every loss, to make wall-clock limits testable.</summary>
    public TimeSpan Delay { get; init; }

    public List<long> PreviewSteps { get; } = [];

    public nn.Module CreateNetwork() => Build(hidden);

    public Tensor Loss(TinyBatch batch, Generator generator)
    {
        if (Delay > TimeSpan.Zero) Thread.Sleep(Delay);
        var net = (nn.Module<Tensor, Tensor>)Network;
        var target = batch.Y + 0.01f * torch.randn(batch.Y.shape, generator: generator);
        var loss = nn.functional.mse_loss(net.call(batch.X), target);
        return batch.Step == NanAtStep ? loss * float.NaN : loss;
    }

    public void Preview(string folder, long step, nn.Module weights)
    {
        PreviewSteps.Add(step);
        File.WriteAllText(Path.Combine(folder, "preview.txt"), $"{step} {weights.training}");
    }

    /// <summary>The batch source: a pure function of (seed, step).</summary>
    public static Func<long, TinyBatch> Batches(long seed, int batchSize = 16) => step =>
    {
        using var generator = StepRandom.Generator(seed, step);
        var x = torch.randn([batchSize, 3], generator: generator);
        var y = (x * torch.tensor(new[] { 0.6f, -0.8f, 0.3f })).sum(1, keepdim: true).sin();
        return new TinyBatch(step, x, y);
    };

    private static nn.Module<Tensor, Tensor> Build(int hidden) =>
        nn.Sequential(nn.Linear(3, hidden), nn.Dropout(0.1), nn.Tanh(), nn.Linear(hidden, 1));
}
