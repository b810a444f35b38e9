using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Conditioning;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Runtime;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// What VideoFusion's two trainable models share: the config, the network, the schedule, the eps
/// objective (eps or v), and the conditioning of a training batch with classifier-free-guidance dropout.
/// </summary>
public abstract class VideoFusionTrainable : ITrainableModel<VideoBatch>
{
    /// <summary>Validates <paramref name="config"/>, which must have <paramref name="modelType"/>, and builds its network (weights from torch's current seed).</summary>
    protected VideoFusionTrainable(VideoFusionConfig config, string modelType)
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchRuntime.Initialize();
        config.Validate();
        if (config.ModelType != modelType)
            throw new UserInputException($"this model needs model_type {modelType}, got '{config.ModelType}'");
        Config = config;
        Network = new VideoFusionNetwork(config);
        Schedule = new NoiseSchedule(config.Schedule);
        Objective = new DiffusionObjective(Schedule, config.Prediction, config.Weighting);
    }

    /// <summary>The configuration.</summary>
    public VideoFusionConfig Config { get; }

    /// <inheritdoc />
    IModelConfig ITrainableModel<VideoBatch>.Config => Config;

    /// <summary>The generator(s) and text encoder.</summary>
    public VideoFusionNetwork Network { get; }

    /// <inheritdoc />
    nn.Module ITrainableModel<VideoBatch>.Network => Network;

    /// <summary>The noise schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>The objective (equation 3 of the paper for eps; the v loss for v), weighted by the config's lambda(t).</summary>
    protected DiffusionObjective Objective { get; }

    /// <inheritdoc />
    public nn.Module CreateNetwork() => new VideoFusionNetwork(Config);

    /// <inheritdoc />
    public virtual IReadOnlyList<ParameterGroup> ParameterGroups() => [new ParameterGroup(Network.parameters().ToList())];

    /// <inheritdoc />
    public abstract Tensor Loss(VideoBatch batch, Generator generator);

    /// <inheritdoc />
    public abstract void Preview(string folder, long step, nn.Module weights);

    /// <summary>The batch's label/caption with each item dropped to the learned null with the config's probability (drawn from <paramref name="generator"/>).</summary>
    protected UNetConditioning TrainingConditioning(VideoBatch batch, Generator generator)
    {
        long b = batch.Video.shape[0];
        var dropMask = Config.Condition == ConditionKind.None ? null : ConditionDropout.Mask(b, Config.ConditionDropProbability, generator, batch.Video.device);
        return Network.Conditioning(new VideoFusionCondition(batch.ClassIds, batch.Captions, dropMask));
    }
}
