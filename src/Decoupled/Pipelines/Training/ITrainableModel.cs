using Decoupled.Pipelines.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// What a model gives the <see cref="Trainer{TBatch}"/>: its network, its configuration (for
/// <c>config.json</c>), a loss per batch and, optionally, preview samples. Every pipeline (VDM,
/// D-VDM, ED-VDM, VideoFusion, MOSO) implements this once and reuses the same loop.
/// </summary>
/// <typeparam name="TBatch">What the batch source yields for one step.</typeparam>
public interface ITrainableModel<in TBatch>
{
    /// <summary>Describes the network fully; written to the checkpoint's <c>config.json</c>.</summary>
    IModelConfig Config { get; }

    /// <summary>The module whose parameters the trainer optimises and checkpoints.</summary>
    nn.Module Network { get; }

    /// <summary>
    /// How the optimizer groups <see cref="Network"/>'s parameters: by default one group of all of them
    /// at the scheduled learning rate. Leave frozen parameters out.
    /// </summary>
    IReadOnlyList<ParameterGroup> ParameterGroups() => [new ParameterGroup(Network.parameters().ToList())];

    /// <summary>
    /// A new module with <see cref="Network"/>'s architecture. Its weights are overwritten; the
    /// trainer keeps the EMA weights in it.
    /// </summary>
    nn.Module CreateNetwork();

    /// <summary>
    /// The scalar loss of <paramref name="batch"/>, computed with <see cref="Network"/> in train
    /// mode. Draw every random number (noise, timesteps, condition dropout) from
    /// <paramref name="generator"/>: it is derived from (seed, step), which is what makes a
    /// resumed run exact.
    /// </summary>
    Tensor Loss(TBatch batch, Generator generator);

    /// <summary>
    /// Writes samples (GIFs, contact sheets) into <paramref name="folder"/>, which exists and is
    /// empty. <paramref name="weights"/> is the EMA network when there is one, else
    /// <see cref="Network"/>; it is in eval mode and gradients are off. Draw randomness from your
    /// own seeded generator so previews do not depend on when they run. Does nothing by default.
    /// </summary>
    void Preview(string folder, long step, nn.Module weights) { }
}
