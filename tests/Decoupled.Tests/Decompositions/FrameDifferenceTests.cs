using Decoupled.Decompositions;
using Decoupled.Video;

namespace Decoupled.Tests.Decompositions;

public class FrameDifferenceTests
{
    [Theory]
    [InlineData(8, 32, 32)]
    [InlineData(3, 17, 23)]
    [InlineData(2, 1, 1)]
    public void RoundTripIsExact(int frames, int height, int width)
    {
        var clip = TestClips.Random(frames, height, width, seed: frames * 1000 + height);
        var fd = new FrameDifference();
        var parts = fd.Decompose(clip);
        Assert.Equal(frames - 1, parts.Differences.Frames);
        Assert.True(fd.Reconstruct(parts).ContentEquals(clip));
    }

    [Fact]
    public void DifferencesAreConsecutiveFrameDifferencesSpanningFullRange()
    {
        var clip = new VideoClip(3, 1, 2);
        clip[1, 0, 0, 0] = 255; // 0 -> 255 -> 0 gives +255 then -255
        clip[0, 0, 1, 2] = 7;
        var parts = new FrameDifference().Decompose(clip);
        Assert.Equal(255, parts.Differences[0, 0, 0, 0]);
        Assert.Equal(-255, parts.Differences[1, 0, 0, 0]);
        Assert.Equal(-7, parts.Differences[0, 0, 1, 2]);
        Assert.Equal(7, parts.FirstFrame[0, 0, 1, 2]);
        Assert.Equal((255 + 255 + 7) / 12.0, parts.MeanAbsFrameDifference(), 12);
    }

    [Fact]
    public void SingleFrameClipIsRejected()
    {
        var ex = Assert.Throws<UserInputException>(() => new FrameDifference().Decompose(new VideoClip(1, 8, 8)));
        Assert.Contains("at least 2 frames", ex.Message);
    }
}
