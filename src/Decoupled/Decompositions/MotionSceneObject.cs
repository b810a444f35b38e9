using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// MOSO's preprocessing (appendix A of the paper): split a clip into motion, scene and object
/// videos with no annotation. Per pixel, d = max over channels of |difference| / 255; pixels with
/// lower &lt;= d &lt;= upper form the object video, the rest (tiny change: static background;
/// dramatic change: cuts, flashes, fast camera motion) the scene video.
/// </summary>
/// <remarks>
/// Definition, following the authors' released code rather than the paper's one-line summary:
/// the difference is the signed second difference <c>2 v[t] - v[t-1] - v[t+1]</c> (pixels in
/// [0, 1]), its absolute value maximised over channels, with the bounds inclusive and not
/// rescaled, so d ranges over [0, 2]. The code drops the first and last frame because they lack a
/// neighbour; here every frame is kept (the split must invert exactly) and the missing neighbour
/// is the frame itself. <see cref="SceneObjectDifference.First"/> selects the plain frame
/// difference instead.
/// </remarks>
public sealed class MotionSceneObject : IVideoDecomposition<MotionSceneObjectParts>
{
    /// <summary>Creates the split; <paramref name="options"/> defaults to thresholds 0.1 / 0.9 and the second difference.</summary>
    /// <exception cref="UserInputException">The thresholds are not 0 &lt;= lower &lt;= upper.</exception>
    public MotionSceneObject(MotionSceneObjectOptions? options = null)
    {
        Options = options ?? new MotionSceneObjectOptions();
        Options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public MotionSceneObjectOptions Options { get; }

    /// <inheritdoc />
    public string Name => "motion-scene-object";

    /// <inheritdoc />
    public MotionSceneObjectParts Decompose(VideoClip clip)
    {
        ClipRequirements.AtLeastFrames(clip, 2, Name);
        int t0 = clip.Frames, hw = clip.Height * clip.Width;
        var motion = new SignedVideo(t0, clip.Height, clip.Width, VideoClip.Channels);
        var scene = new VideoClip(t0, clip.Height, clip.Width, clip.FramesPerSecond);
        var obj = new VideoClip(t0, clip.Height, clip.Width, clip.FramesPerSecond);
        var mask = new byte[(long)t0 * hw];
        // Thresholds compared in integer units of 1/255 to avoid per-pixel division.
        double lower = Options.LowerThreshold * 255, upper = Options.UpperThreshold * 255;
        Parallel.For(0, t0, t =>
        {
            var cur = clip.Frame(t);
            var (prevIndex, nextIndex) = Neighbours(clip.Frames, t);
            var prev = clip.Frame(prevIndex);
            var next = clip.Frame(nextIndex);
            var d = motion.Frame(t);
            var sceneFrame = scene.Frame(t);
            var objFrame = obj.Frame(t);
            for (int p = 0, i = 0; p < hw; p++, i += 3)
            {
                int maxAbs = 0;
                for (int c = i; c < i + 3; c++)
                {
                    int diff = Options.Difference == SceneObjectDifference.Second
                        ? 2 * cur[c] - prev[c] - next[c]
                        : cur[c] - prev[c];
                    d[c] = (short)diff;
                    maxAbs = Math.Max(maxAbs, Math.Abs(diff));
                }
                bool isObject = maxAbs >= lower && maxAbs <= upper;
                mask[(long)t * hw + p] = isObject ? (byte)1 : (byte)0;
                cur.Slice(i, 3).CopyTo(isObject ? objFrame.Slice(i, 3) : sceneFrame.Slice(i, 3));
            }
        });
        return new MotionSceneObjectParts(motion, scene, obj, mask);
    }

    /// <summary>Scene plus object, pixel by pixel; exact because the masks partition the pixels.</summary>
    /// <exception cref="UserInputException">Scene and object videos differ in size.</exception>
    public VideoClip Reconstruct(MotionSceneObjectParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (scene, obj) = (parts.Scene, parts.Object);
        if (scene.Frames != obj.Frames || scene.Height != obj.Height || scene.Width != obj.Width)
            throw new UserInputException($"scene video {scene} and object video {obj} differ in size");
        var clip = new VideoClip(scene.Frames, scene.Height, scene.Width, scene.FramesPerSecond);
        for (long i = 0; i < clip.Pixels.LongLength; i++)
            clip.Pixels[i] = (byte)Math.Min(255, scene.Pixels[i] + obj.Pixels[i]);
        return clip;
    }

    /// <summary>
    /// Indices of the frames the difference compares frame t with: (previous, next) for the
    /// second difference, replaced by t itself at the clip's ends; (previous, unused) for the
    /// first difference, with frame 1 standing in as "previous" of frame 0.
    /// </summary>
    private (int Prev, int Next) Neighbours(int frames, int t) => Options.Difference == SceneObjectDifference.First
        ? (t == 0 ? 1 : t - 1, t)
        : (Math.Max(t - 1, 0), Math.Min(t + 1, frames - 1));
}
