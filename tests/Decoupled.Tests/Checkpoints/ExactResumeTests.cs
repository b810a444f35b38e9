using Decoupled.IO.Safetensors;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Checkpoints;

/// <summary>
/// Train N steps, checkpoint, rebuild everything from scratch, load, train M more: the parameters
/// must equal, bit for bit, those of one uninterrupted N+M-step run. Dropout and minibatch
/// sampling draw from torch's RNG and the learning rate changes mid-run, so the RNG state, the
/// moments, the step counts and the group options all have to come back.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class ExactResumeTests
{
    private const int StepsBefore = 6;
    private const int StepsAfter = 5;
    private const long Seed = 5;

    [Theory]
    [InlineData("adamw")]
    [InlineData("adamw-amsgrad")]
    [InlineData("sgd-momentum")]
    public void ResumedRunMatchesAnUninterruptedOne(string kind)
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var (x, y) = Data();

        torch.manual_seed(Seed);
        var straight = Model();
        using (var optimizer = Optimizer(kind, straight))
            Train(straight, optimizer, x, y, 0, StepsBefore + StepsAfter);

        var folder = dir.File("checkpoint");
        torch.manual_seed(Seed);
        var first = Model();
        using (var optimizer = Optimizer(kind, first))
        {
            Train(first, optimizer, x, y, 0, StepsBefore);
            var state = new TrainerState(StepsBefore, Seed) { Extra = new Dictionary<string, string> { ["best_loss"] = "0.5" } };
            CheckpointFolder.Save(folder, new TinyConfig(8), first, training: new TrainingSnapshot(optimizer, state));
        }

        // A fresh process: other initial weights, another RNG state, a new optimizer at its default learning rate.
        torch.manual_seed(999);
        torch.rand(17);
        var resumed = Model();
        using (var optimizer = Optimizer(kind, resumed))
        {
            CheckpointFolder.LoadWeights(folder, resumed);
            var restored = CheckpointFolder.LoadTraining(folder, resumed, optimizer);
            Assert.Equal(StepsBefore, restored.Step);
            Assert.Equal(Seed, restored.Seed);
            Assert.Equal("0.5", restored.Extra["best_loss"]);
            Train(resumed, optimizer, x, y, (int)restored.Step, StepsBefore + StepsAfter);
        }

        var expected = straight.state_dict();
        foreach (var (name, tensor) in resumed.state_dict())
        {
            var a = expected[name].bytes.ToArray();
            var b = tensor.bytes.ToArray();
            Assert.True(a.AsSpan().SequenceEqual(b), $"{kind}: {name} differs from the uninterrupted run");
        }
    }

    [Fact]
    public void OptimizerStateUsesReadableNames()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var (x, y) = Data();
        var model = Model();
        using var optimizer = Optimizer("adamw", model);
        Train(model, optimizer, x, y, 0, 2);
        var folder = dir.File("checkpoint");
        CheckpointFolder.Save(folder, new TinyConfig(8), model, training: new TrainingSnapshot(optimizer, new TrainerState(2, Seed)));

        using var file = SafetensorsFile.Open(Path.Combine(folder, CheckpointFolder.TrainingStateFile));
        Assert.Equal([8L, 3L], file.Get("optimizer.0.weight.exp_avg").Shape);
        Assert.Equal([8L, 3L], file.Get("optimizer.0.weight.exp_avg_sq").Shape);
        Assert.False(file.Contains("optimizer.0.weight.max_exp_avg_sq"), "amsgrad is off, so there is no max_exp_avg_sq");
        using var step = file.ReadTensor("optimizer.3.bias.step");
        Assert.Equal(2L, step.item<long>());
        Assert.Equal(SafetensorsDType.U8, file.Get("rng.torch").DType);
        Assert.Contains("\"type\": \"AdamW\"", File.ReadAllText(Path.Combine(folder, CheckpointFolder.TrainerStateFile)));
    }

    [Fact]
    public void ResumingWithAnotherOptimizerIsAUserError()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var model = Model();
        using var adamW = Optimizer("adamw", model);
        var folder = dir.File("checkpoint");
        CheckpointFolder.Save(folder, new TinyConfig(8), model, training: new TrainingSnapshot(adamW, new TrainerState(0, Seed)));

        using var sgd = Optimizer("sgd-momentum", model);
        var error = Assert.Throws<UserInputException>(() => CheckpointFolder.LoadTraining(folder, model, sgd));
        Assert.Contains("trainer_state.json: the checkpoint's optimizer is AdamW, this run uses SGD", error.Message);

        var other = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.2), nn.Tanh(), nn.Linear(8, 2));
        using var otherOptimizer = Optimizer("adamw", other);
        var shapes = Assert.Throws<UserInputException>(() => CheckpointFolder.LoadWeights(folder, other));
        Assert.Contains("3.weight: file [1, 8], model [2, 8]", shapes.Message);
    }

    private static nn.Module<Tensor, Tensor> Model() =>
        nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.2), nn.Tanh(), nn.Linear(8, 1));

    private static optim.Optimizer Optimizer(string kind, nn.Module model) => kind switch
    {
        "adamw" => optim.AdamW(model.parameters(), lr: 0.01, weight_decay: 0.05),
        "adamw-amsgrad" => optim.AdamW(model.parameters(), lr: 0.01, weight_decay: 0.05, amsgrad: true),
        "sgd-momentum" => optim.SGD(model.parameters(), learningRate: 0.05, momentum: 0.9),
        _ => throw new ArgumentException(kind),
    };

    private static (Tensor X, Tensor Y) Data()
    {
        torch.manual_seed(1);
        var x = torch.randn(64, 3);
        var y = (x * torch.tensor(new[] { 1.5f, -2f, 0.5f })).sum(1, keepdim: true).sin();
        return (x, y);
    }

    /// <summary>Steps <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive); the learning rate halves at step 4, as a schedule would.</summary>
    private static void Train(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor x, Tensor y, int from, int to)
    {
        model.train();
        for (int step = from; step < to; step++)
        {
            using var scope = NewDisposeScope();
            if (step == 4)
            {
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate /= 2;
            }
            var batch = torch.randint(0, x.shape[0], [16]);
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x[batch]), y[batch]);
            TorchRuntime.Backward(loss);
            optimizer.step();
        }
    }
}
