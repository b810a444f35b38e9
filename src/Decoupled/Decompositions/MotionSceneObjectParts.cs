using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// MOSO's three videos, all <c>[T, H, W, C]</c>: the motion video (the signed temporal
/// difference that drove the split), the object video (pixels with a moderate difference, black
/// elsewhere) and the scene video (the rest). <c>Scene + Object</c> is the original clip exactly.
/// </summary>
/// <param name="Motion">Signed difference per frame and channel (second difference: [-510, 510]).</param>
/// <param name="Scene">Pixels with tiny or dramatic change; zero where the object is.</param>
/// <param name="Object">Pixels with moderate change; zero elsewhere.</param>
/// <param name="ObjectMask">1 where a pixel belongs to the object video, 0 for the scene, <c>[T, H, W]</c>.</param>
public sealed record MotionSceneObjectParts(SignedVideo Motion, VideoClip Scene, VideoClip Object, byte[] ObjectMask)
{
    /// <summary>Fraction of pixels in the object video.</summary>
    public double ObjectFraction()
    {
        long ones = 0;
        foreach (var m in ObjectMask) ones += m;
        return (double)ones / ObjectMask.Length;
    }

    /// <summary>Mean |motion| over every sample.</summary>
    public double MeanAbsMotion() => Motion.MeanAbs();
}
