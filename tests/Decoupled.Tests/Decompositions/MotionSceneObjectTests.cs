using Decoupled.Decompositions;
using Decoupled.Video;

namespace Decoupled.Tests.Decompositions;

public class MotionSceneObjectTests
{
    // A 6-pixel square moving 8 pixels per frame over a dim static texture: every square pixel is
    // new in each frame, so its difference is moderate (object); the untouched background does not change (scene).
    private static VideoClip SquareClip() =>
        TestClips.MovingSquare(6, 32, 64, 6, 2, 10, 8, 1, (150, 140, 130), seed: 4, backgroundMean: 60);

    [Theory]
    [InlineData(SceneObjectDifference.Second)]
    [InlineData(SceneObjectDifference.First)]
    public void SceneAndObjectPartitionTheClipExactly(SceneObjectDifference kind)
    {
        foreach (var clip in new[] { SquareClip(), TestClips.Random(4, 9, 13, seed: 2) })
        {
            var moso = new MotionSceneObject(new MotionSceneObjectOptions { Difference = kind });
            var parts = moso.Decompose(clip);
            Assert.True(moso.Reconstruct(parts).ContentEquals(clip));
            int hw = clip.Height * clip.Width;
            for (int t = 0; t < clip.Frames; t++)
                for (int p = 0; p < hw; p++)
                    for (int c = 0; c < 3; c++)
                    {
                        long i = ((long)t * hw + p) * 3 + c;
                        var (inObject, inScene) = (parts.Object.Pixels[i], parts.Scene.Pixels[i]);
                        Assert.Equal(parts.ObjectMask[(long)t * hw + p] == 1 ? (clip.Pixels[i], (byte)0) : ((byte)0, clip.Pixels[i]), (inObject, inScene));
                    }
        }
    }

    [Theory]
    [InlineData(SceneObjectDifference.Second)]
    [InlineData(SceneObjectDifference.First)]
    public void MovingObjectIsObjectAndStaticBackgroundIsScene(SceneObjectDifference kind)
    {
        var clip = SquareClip();
        var parts = new MotionSceneObject(new MotionSceneObjectOptions { Difference = kind }).Decompose(clip);
        for (int t = 0; t < clip.Frames; t++)
        {
            int x0 = 2 + 8 * t, y0 = 10 + t;
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 64; x++)
                {
                    bool inSquare = x >= x0 && x < x0 + 6 && y >= y0 && y < y0 + 6;
                    bool nearAnySquare = x >= 0 && x < 2 + 8 * 6 + 6 && y >= 8 && y < 10 + 6 + 6 + 2;
                    byte m = parts.ObjectMask[(t * 32 + y) * 64 + x];
                    if (inSquare) Assert.True(m == 1, $"square pixel ({x},{y}) of frame {t} is not object");
                    else if (!nearAnySquare) Assert.True(m == 0, $"background pixel ({x},{y}) of frame {t} is not scene");
                }
        }
    }

    [Fact]
    public void FullFrameFlashIsScene()
    {
        // A dim scene (values below 16) that turns white for one frame: a jump of more than 0.9 even as a first difference.
        var clip = TestClips.MovingSquare(5, 16, 16, 4, 1, 1, 3, 0, (20, 20, 20), seed: 1);
        for (int i = 0; i < clip.Pixels.Length; i++) clip.Pixels[i] /= 16;
        clip.Frame(2).Fill(255);
        foreach (var kind in new[] { SceneObjectDifference.Second, SceneObjectDifference.First })
        {
            var parts = new MotionSceneObject(new MotionSceneObjectOptions { Difference = kind }).Decompose(clip);
            Assert.All(parts.ObjectMask.AsSpan(2 * 256, 256).ToArray(), m => Assert.Equal(0, m));
            Assert.True(parts.Scene.Frame(2).SequenceEqual(clip.Frame(2)));
        }
    }

    [Fact]
    public void StaticClipIsAllScene()
    {
        var frame = TestClips.Texture(12, 20, seed: 3);
        var clip = new VideoClip(4, 12, 20);
        for (int t = 0; t < 4; t++) frame.CopyTo(clip.Frame(t));
        var parts = new MotionSceneObject().Decompose(clip);
        Assert.Equal(0, parts.ObjectFraction());
        Assert.All(parts.Motion.Values, v => Assert.Equal(0, v));
        Assert.True(parts.Scene.ContentEquals(clip));
    }

    [Fact]
    public void MotionVideoIsTheChosenSignedDifference()
    {
        var clip = TestClips.Random(4, 3, 5, seed: 6);
        var second = new MotionSceneObject().Decompose(clip).Motion;
        var first = new MotionSceneObject(new MotionSceneObjectOptions { Difference = SceneObjectDifference.First }).Decompose(clip).Motion;
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
                for (int c = 0; c < 3; c++)
                {
                    int V(int t) => clip[t, y, x, c];
                    Assert.Equal(2 * V(1) - V(0) - V(2), second[1, y, x, c]);
                    Assert.Equal(V(0) - V(1), second[0, y, x, c]); // missing neighbour = the frame itself
                    Assert.Equal(V(3) - V(2), second[3, y, x, c]);
                    Assert.Equal(V(2) - V(1), first[2, y, x, c]);
                    Assert.Equal(V(0) - V(1), first[0, y, x, c]);
                }
    }

    [Fact]
    public void ThresholdsAreInclusiveInUnitsOfOneOver255()
    {
        // Second difference of a single bright pixel step: |2*v - 0 - 0| = 2v.
        var clip = new VideoClip(3, 1, 3);
        clip[1, 0, 0, 0] = 13;  // 26/255 = 0.102 -> object
        clip[1, 0, 1, 1] = 12;  // 24/255 = 0.094 -> scene
        clip[1, 0, 2, 2] = 115; // 230/255 = 0.902 -> scene
        var parts = new MotionSceneObject().Decompose(clip);
        Assert.Equal(new byte[] { 1, 0, 0 }, parts.ObjectMask.AsSpan(3, 3).ToArray());
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Contains("at least 2 frames", Assert.Throws<UserInputException>(() => new MotionSceneObject().Decompose(new VideoClip(1, 4, 4))).Message);
        Assert.Contains("thresholds", Assert.Throws<UserInputException>(() => new MotionSceneObject(new MotionSceneObjectOptions { LowerThreshold = 0.5, UpperThreshold = 0.4 })).Message);
        Assert.Contains("thresholds", Assert.Throws<UserInputException>(() => new MotionSceneObject(new MotionSceneObjectOptions { LowerThreshold = double.NaN })).Message);
    }
}
