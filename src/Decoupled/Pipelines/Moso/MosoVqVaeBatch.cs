using Decoupled.Decompositions;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;

namespace Decoupled.Pipelines.Moso;

/// <summary>One MOSO-VQVAE training step's input: the encoders' videos and the step they belong to.</summary>
/// <param name="Videos">Clips, scene, object and motion videos.</param>
/// <param name="Step">The 0-based step (the discriminator starts at a given step).</param>
public sealed record MosoVqVaeBatch(MosoVideos Videos, long Step) : IDisposable
{
    private const ulong StillStream = 3;

    /// <summary>
    /// The batch of <paramref name="step"/>: the preprocessed scene/object split before
    /// <see cref="MosoVqVaeTrainingConfig.PreprocessSteps"/>, raw frames afterwards; a
    /// <see cref="MosoVqVaeTrainingConfig.StillFraction"/> share of the clips gets a still tail
    /// (<see cref="MosoStillTail"/>), drawn from (<paramref name="seed"/>, step) so a resumed run
    /// sees the same batches.
    /// </summary>
    public static MosoVqVaeBatch Draw(IClipSource source, long step, int batchSize, MosoVqVaeTrainingConfig config, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        var still = StepRandom.Random(seed, step, StillStream);
        var clips = Enumerable.Range(0, batchSize)
            .Select(slot => MosoStillTail.Draw(source.Draw(step, slot).Clip, config.StillFraction, still))
            .ToList();
        var split = config.Net.Decomposed && step < config.PreprocessSteps ? new MotionSceneObject(config.Split) : null;
        return new MosoVqVaeBatch(MosoInputs.Build(clips, split), step);
    }

    /// <inheritdoc />
    public void Dispose() => Videos.Dispose();
}
