using TorchSharp.Modules;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// Parameters that the <see cref="Trainer{TBatch}"/> optimises at a multiple of the scheduled learning
/// rate: a pre-trained part fine-tuned gently next to a fresh one (VideoFusion's base generator, section 3.4).
/// </summary>
/// <param name="Parameters">The parameters of the group; every trainable parameter belongs to exactly one group.</param>
/// <param name="LearningRateScale">Factor on the learning rate of every step (warm-up and decay included).</param>
public sealed record ParameterGroup(IReadOnlyList<Parameter> Parameters, double LearningRateScale = 1.0);
