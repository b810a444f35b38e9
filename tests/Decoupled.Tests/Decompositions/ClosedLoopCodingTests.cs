using Decoupled;
using Decoupled.Decompositions;
using Decoupled.Video;

namespace Decoupled.Tests.Decompositions;

public class ClosedLoopCodingTests
{
    private static readonly BlockMotion Codec = new(new BlockMotionOptions { BlockSize = 8, SearchRange = 4 });

    // Keeps residuals to the nearest multiple of 16: an error of at most 8 per value.
    private static void Quantise(int pFrame, IReadOnlyList<Memory<short>> residuals)
    {
        foreach (var frame in residuals)
            foreach (ref var v in frame.Span)
                v = (short)Math.Clamp(Math.Round(v / 16.0, MidpointRounding.AwayFromZero) * 16, -255, 255);
    }

    private static int MaxError(VideoClip a, VideoClip b, int frame)
    {
        var x = a.Frame(frame);
        var y = b.Frame(frame);
        int worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(x[i] - y[i]));
        return worst;
    }

    [Fact]
    public void WithoutACoderEveryClipDecomposesAsOnItsOwn()
    {
        var clips = new[] { TestClips.Random(4, 24, 32, seed: 1), TestClips.GlobalTranslation(4, 24, 32, 2, 1, seed: 2) };
        var together = Codec.Decompose(clips, coder: null);
        for (int i = 0; i < clips.Length; i++)
        {
            var alone = Codec.Decompose(clips[i]);
            Assert.Equal(alone.MotionVectors.Vectors, together[i].MotionVectors.Vectors);
            Assert.Equal(alone.Residuals.Values, together[i].Residuals.Values);
        }
    }

    [Fact]
    public void TheCoderSeesEveryPFrameInOrderWithOneResidualPerClip()
    {
        var clips = new[] { TestClips.Random(5, 16, 16, seed: 3), TestClips.Random(5, 16, 16, seed: 4), TestClips.Random(5, 16, 16, seed: 5) };
        var seen = new List<(int PFrame, int Count, int Length)>();
        Codec.Decompose(clips, (t, residuals) => seen.Add((t, residuals.Count, residuals[0].Length)));
        Assert.Equal([(0, 3, 768), (1, 3, 768), (2, 3, 768), (3, 3, 768)], seen);
    }

    [Fact]
    public void ClosedLoopCodingErrorsDoNotDriftWhileOpenLoopOnesDo()
    {
        var clip = TestClips.GlobalTranslation(12, 32, 32, 1, 1, seed: 6);
        // Closed loop: every rebuilt frame is within the coder's own error of the original.
        var closed = Codec.Decompose([clip], Quantise)[0];
        var rebuilt = Codec.Reconstruct(closed);
        for (int t = 1; t < clip.Frames; t++) Assert.InRange(MaxError(rebuilt, clip, t), 0, 8);

        // Open loop (residuals of the lossless decomposition, quantised afterwards): errors add up.
        var exact = Codec.Decompose(clip);
        var residuals = new SignedVideo(exact.Residuals.Frames, clip.Height, clip.Width, 3, exact.Residuals.Values.ToArray());
        for (int t = 0; t < residuals.Frames; t++) Quantise(t, [residuals.Values.AsMemory(t * clip.FrameSize, clip.FrameSize)]);
        var drifted = Codec.Reconstruct(exact with { Residuals = residuals });
        Assert.True(MaxError(drifted, clip, clip.Frames - 1) > 8, "open-loop quantisation was expected to drift past the coder's error");
    }

    [Fact]
    public void ClipsOfDifferentSizesAreRejected() =>
        Assert.Throws<UserInputException>(() => Codec.Decompose([TestClips.Random(3, 16, 16, 1), TestClips.Random(3, 16, 24, 1)], coder: null));
}
