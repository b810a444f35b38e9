using Decoupled.Metrics.Frame;
using Decoupled.Video;

namespace Decoupled.Tests.Metrics;

public class ChangedRegionPsnrTests
{
    // A grey 8x8 scene with a white square, 2 rows by 3 columns, from a given column; it moves right by 2 a frame.
    private static void DrawScene(Span<byte> frame, int column)
    {
        frame.Fill(100);
        for (int y = 3; y < 5; y++)
            for (int x = column; x < column + 3; x++)
                frame.Slice((y * 8 + x) * 3, 3).Fill(250);
    }

    private static (VideoClip Truth, byte[] LastGiven) MovingSquare()
    {
        var truth = new VideoClip(2, 8, 8);
        DrawScene(truth.Frame(0), 2);
        DrawScene(truth.Frame(1), 4);
        var lastGiven = new byte[truth.FrameSize];
        DrawScene(lastGiven, 0);
        return (truth, lastGiven);
    }

    [Fact]
    public void ScoresOnlyThePixelsWhereTheTruthChanges()
    {
        var (truth, lastGiven) = MovingSquare();
        var guess = truth.Clone();
        // Off the changed region (frame 0's changed pixels: columns 0-3 of rows 3-4) an error costs nothing.
        guess.Frame(0)[0] = 0;
        Assert.Equal(Psnr.MaxDecibels, ChangedRegionPsnr.Clip(truth, guess, lastGiven));
        // One changed pixel off by 30 in one channel. Changed pixels: frame 0, columns 0-1 (uncovered)
        // and 3-4 (covered) of 2 rows; frame 1, columns 0-2 and 4-6; 20 pixels x 3 channels in all.
        guess.Frame(0)[(3 * 8 + 1) * 3] += 30;
        double expected = 10 * Math.Log10(255.0 * 255.0 / (30.0 * 30.0 / 60));
        Assert.Equal(expected, ChangedRegionPsnr.Clip(truth, guess, lastGiven)!.Value, 9);
    }

    [Fact]
    public void DrawingTheObjectSlightlyOffBeatsErasingItWhichBeatsCopyingTheLastFrame()
    {
        var (truth, lastGiven) = MovingSquare();
        var copyLast = new VideoClip(2, 8, 8);
        lastGiven.CopyTo(copyLast.Frame(0));
        lastGiven.CopyTo(copyLast.Frame(1));
        var erased = new VideoClip(2, 8, 8);
        erased.Pixels.AsSpan().Fill(100);
        var offByOne = new VideoClip(2, 8, 8);
        DrawScene(offByOne.Frame(0), 3);
        DrawScene(offByOne.Frame(1), 5);
        double drawn = ChangedRegionPsnr.Clip(truth, offByOne, lastGiven)!.Value;
        double erasedScore = ChangedRegionPsnr.Clip(truth, erased, lastGiven)!.Value;
        Assert.True(drawn > erasedScore);
        Assert.True(erasedScore > ChangedRegionPsnr.Clip(truth, copyLast, lastGiven)!.Value);
    }

    [Fact]
    public void IsUndefinedWhenNothingChangesAndIgnoresChangesBelowTheThreshold()
    {
        var still = new VideoClip(2, 8, 8);
        still.Pixels.AsSpan().Fill(100);
        var lastGiven = new byte[still.FrameSize];
        lastGiven.AsSpan().Fill(100 + ChangedRegionPsnr.DefaultThreshold);
        Assert.Null(ChangedRegionPsnr.Clip(still, still.Clone(), lastGiven));
        Assert.NotNull(ChangedRegionPsnr.Clip(still, still.Clone(), lastGiven, threshold: ChangedRegionPsnr.DefaultThreshold - 1));
    }

    [Fact]
    public void RejectsALastFrameOfAnotherSize()
    {
        var clip = new VideoClip(2, 8, 8);
        Assert.Throws<ArgumentException>(() => ChangedRegionPsnr.Clip(clip, clip.Clone(), new byte[10]));
    }
}
