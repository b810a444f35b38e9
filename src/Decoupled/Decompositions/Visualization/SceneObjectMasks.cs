using Decoupled.Video;

namespace Decoupled.Decompositions.Visualization;

/// <summary>Pictures of MOSO's object/scene split.</summary>
public static class SceneObjectMasks
{
    /// <summary>The object mask: white where a pixel is in the object video, black where it is scene.</summary>
    public static VideoClip Mask(MotionSceneObjectParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var clip = new VideoClip(parts.Scene.Frames, parts.Scene.Height, parts.Scene.Width, parts.Scene.FramesPerSecond);
        for (long p = 0; p < parts.ObjectMask.LongLength; p++)
            if (parts.ObjectMask[p] != 0) clip.Pixels.AsSpan((int)(p * 3), 3).Fill(255);
        return clip;
    }

    /// <summary>
    /// The clip with the scene dimmed to a third and grey, and object pixels in full colour, so the
    /// object stands out in place.
    /// </summary>
    public static VideoClip Overlay(MotionSceneObjectParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var clip = new VideoClip(parts.Scene.Frames, parts.Scene.Height, parts.Scene.Width, parts.Scene.FramesPerSecond);
        for (long p = 0; p < parts.ObjectMask.LongLength; p++)
        {
            long i = p * 3;
            if (parts.ObjectMask[p] != 0)
            {
                parts.Object.Pixels.AsSpan((int)i, 3).CopyTo(clip.Pixels.AsSpan((int)i, 3));
                continue;
            }
            var s = parts.Scene.Pixels;
            byte grey = (byte)((s[i] * 77 + s[i + 1] * 150 + s[i + 2] * 29) / 256 / 3);
            clip.Pixels.AsSpan((int)i, 3).Fill(grey);
        }
        return clip;
    }
}
