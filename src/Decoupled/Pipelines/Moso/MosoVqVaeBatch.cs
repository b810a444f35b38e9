using Decoupled.Decompositions;
using Decoupled.Pipelines.Data;

namespace Decoupled.Pipelines.Moso;

/// <summary>One MOSO-VQVAE training step's input: the encoders' videos and the step they belong to.</summary>
/// <param name="Videos">Clips, scene, object and motion videos.</param>
/// <param name="Step">The 0-based step (the discriminator starts at a given step).</param>
public sealed record MosoVqVaeBatch(MosoVideos Videos, long Step) : IDisposable
{
    /// <summary>
    /// The batch of <paramref name="step"/>: the preprocessed scene/object split before
    /// <see cref="MosoVqVaeTrainingConfig.PreprocessSteps"/>, raw frames afterwards.
    /// </summary>
    public static MosoVqVaeBatch Draw(IClipSource source, long step, int batchSize, MosoVqVaeTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        var clips = Enumerable.Range(0, batchSize).Select(slot => source.Draw(step, slot).Clip).ToList();
        var split = config.Net.Decomposed && step < config.PreprocessSteps ? new MotionSceneObject(config.Split) : null;
        return new MosoVqVaeBatch(MosoInputs.Build(clips, split), step);
    }

    /// <inheritdoc />
    public void Dispose() => Videos.Dispose();
}
