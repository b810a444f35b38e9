namespace Decoupled.Pipelines.Checkpoints;

/// <summary>
/// A model's configuration: a plain record that describes the network fully (as a diffusers
/// <c>config.json</c> does), so a checkpoint can rebuild the model before loading its weights.
/// It is written to <c>config.json</c> with <see cref="IO.JsonFile.Options"/> (snake_case names).
/// </summary>
public interface IModelConfig
{
    /// <summary>Which model this configures, e.g. <c>"vdm"</c> or <c>"d-vdm"</c>; loading checks it.</summary>
    string ModelType { get; }
}
