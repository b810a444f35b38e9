namespace Decoupled.Pipelines.Data;

/// <summary>
/// An endless, seeded stream of labelled clips for training and evaluation. <see cref="Draw"/> must
/// depend only on (seed, step, slot) so a resumed run sees exactly the batches it would have seen.
/// </summary>
public interface IClipSource
{
    /// <summary>Dataset name for configs and reports ("shapes" or a folder path).</summary>
    string Name { get; }

    /// <summary>Class names in id order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Frames per clip.</summary>
    int Frames { get; }

    /// <summary>Frame height.</summary>
    int Height { get; }

    /// <summary>Frame width.</summary>
    int Width { get; }

    /// <summary>The clip at position <paramref name="slot"/> of the batch of <paramref name="step"/>.</summary>
    LabeledClip Draw(long step, int slot);
}
