using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// A reversible (or documented near-reversible) split of a clip into parts that a generator
/// models. Adding a decomposition means adding one class that implements this interface and one
/// parts type; nothing else changes.
/// </summary>
/// <typeparam name="TParts">The parts this decomposition produces, e.g. <see cref="FrameDifferenceParts"/>.</typeparam>
public interface IVideoDecomposition<TParts>
{
    /// <summary>Short lowercase name used on the command line and in reports (e.g. <c>frame-difference</c>).</summary>
    string Name { get; }

    /// <summary>Splits <paramref name="clip"/> into parts.</summary>
    /// <exception cref="UserInputException">The clip is too short or its size does not suit the options.</exception>
    TParts Decompose(VideoClip clip);

    /// <summary>Rebuilds the clip from its parts; bit-exact for parts that <see cref="Decompose"/> produced.</summary>
    VideoClip Reconstruct(TParts parts);
}
