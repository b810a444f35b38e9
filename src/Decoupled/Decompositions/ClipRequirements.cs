using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>Checks shared by the decompositions, with one-line messages for the CLI.</summary>
internal static class ClipRequirements
{
    /// <summary>Throws <see cref="UserInputException"/> unless the clip has at least <paramref name="minFrames"/> frames.</summary>
    public static void AtLeastFrames(VideoClip clip, int minFrames, string decomposition)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.Frames < minFrames)
            throw new UserInputException($"{decomposition} needs a clip of at least {minFrames} frames, got {clip.Frames}");
    }

    /// <summary>Byte value of <paramref name="value"/> clamped to 0..255 (a no-op for exact parts).</summary>
    public static byte ClampToByte(int value) => (byte)Math.Clamp(value, 0, 255);
}
