using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Shapes;

/// <summary>The content-consistency score: real clips keep their object; recoloured, vanished or empty ones do not.</summary>
public class ContentConsistencyTests
{
    private static List<ShapesSample> Samples() => HeldOutClips.Make(22, 16, 32, 32, seed: 41).ToList();

    [Fact]
    public void RealClipsKeepTheirObject()
    {
        var scores = Samples().Select(s => ContentConsistency.Score(s.Clip)).ToList();
        Assert.True(scores.Average() > 0.99 && scores.Min() > 0.9, string.Join(", ", scores));
    }

    [Fact]
    public void AnObjectThatChangesColourHalfwayScoresAboutHalf()
    {
        foreach (var sample in Samples().Take(6))
        {
            var clip = sample.Clip.Clone();
            var background = sample.RenderBackground();
            // Frames 8-15: every object pixel (off the background) takes a colour 128 levels away per channel.
            for (int t = 8; t < clip.Frames; t++)
            {
                var frame = clip.Frame(t);
                for (int i = 0; i < background.Length; i += 3)
                    if (Math.Abs(frame[i] - background[i]) + Math.Abs(frame[i + 1] - background[i + 1]) + Math.Abs(frame[i + 2] - background[i + 2]) > 30)
                        for (int c = 0; c < 3; c++) frame[i + c] = (byte)(frame[i + c] + 128);
            }
            double score = ContentConsistency.Score(clip);
            Assert.InRange(score, 0.3, 0.6);
        }
    }

    [Fact]
    public void AVanishedOrMissingObjectScoresZero()
    {
        var sample = Samples()[0];
        var background = sample.RenderBackground();
        var vanished = sample.Clip.Clone();
        for (int t = 1; t < vanished.Frames; t++) background.CopyTo(vanished.Frame(t));
        Assert.Equal(0, ContentConsistency.Score(vanished));

        var empty = new VideoClip(4, 32, 32);
        for (int t = 0; t < empty.Frames; t++) background.CopyTo(empty.Frame(t));
        Assert.Equal(0, ContentConsistency.Score(empty));
    }
}
