using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Moso;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Moso;

public class MosoStillTailTests
{
    private static VideoClip Numbered(int frames)
    {
        var clip = new VideoClip(frames, 4, 4);
        for (int t = 0; t < frames; t++) clip.Frame(t).Fill((byte)(10 * t + 1));
        return clip;
    }

    [Fact]
    public void FreezingRepeatsTheLastMovingFrameAndLeavesTheClipAlone()
    {
        var clip = Numbered(6);
        var frozen = MosoStillTail.Freeze(clip, 2);
        for (int t = 0; t < 6; t++) Assert.Equal(10 * Math.Min(t, 2) + 1, frozen.Frame(t)[0]);
        Assert.Equal(51, clip.Frame(5)[0]);
        Assert.True(MosoStillTail.Freeze(clip, 5).ContentEquals(clip));
        Assert.Throws<ArgumentOutOfRangeException>(() => MosoStillTail.Freeze(clip, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => MosoStillTail.Freeze(clip, -1));
    }

    [Fact]
    public void TheShareOfStillClipsFollowsTheFractionAndAtLeastTheLastFrameRepeats()
    {
        var random = new Random(7);
        var clip = Numbered(10);
        int still = 0;
        var lastMoving = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            var drawn = MosoStillTail.Draw(clip, 0.25, random);
            if (ReferenceEquals(drawn, clip)) continue;
            still++;
            Assert.True(drawn.Frame(9).SequenceEqual(drawn.Frame(8)));
            lastMoving.Add((drawn.Frame(9)[0] - 1) / 10);
        }
        Assert.InRange(still, 430, 570);
        Assert.Equal(Enumerable.Range(0, 9).ToHashSet(), lastMoving);
        Assert.Same(clip, MosoStillTail.Draw(clip, 0, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => MosoStillTail.Draw(clip, 1.5, random));
    }

    [Fact]
    public void BatchesWithStillTailsAreAFunctionOfSeedAndStep()
    {
        var source = new ShapesClipSource(8, 32, 32, seed: 5);
        var config = MosoPipelineTesting.VqVaeConfig() with { PreprocessSteps = 0, StillFraction = 1 };
        using var a = MosoVqVaeBatch.Draw(source, 4, 3, config, seed: 11);
        using var b = MosoVqVaeBatch.Draw(source, 4, 3, config, seed: 11);
        using var plain = MosoVqVaeBatch.Draw(source, 4, 3, config with { StillFraction = 0 }, seed: 11);
        Assert.True(MosoPipelineTesting.Same(a.Videos.Video, b.Videos.Video));
        Assert.False(MosoPipelineTesting.Same(a.Videos.Video, plain.Videos.Video));
        // Every clip's last frame repeats the one before it, so its motion input there is zero.
        var lastMotion = a.Videos.Motion[.., .., -1];
        Assert.Equal(0f, lastMotion.abs().max().item<float>());
    }
}
