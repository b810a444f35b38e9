using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using Xunit.Abstractions;

namespace Decoupled.Tests.Shapes;

public class ActionClassifierTests(ITestOutputHelper output)
{
    private static readonly (int Frames, int Height, int Width)[] Configurations =
    [
        (8, 32, 32), (16, 32, 32), (32, 32, 32),
        (8, 64, 64), (16, 64, 64), (32, 64, 64),
        (8, 48, 80), (16, 80, 48), (32, 48, 80),
    ];

    [Fact]
    public void RecognisesHeldOutClipsAtSeveralSizesAndLengths()
    {
        var samples = Configurations
            .SelectMany((c, i) => HeldOutClips.Make(40, c.Frames, c.Height, c.Width, seed: 100 + (ulong)i))
            .ToList();
        var result = ActionAccuracyMetric.Evaluate(samples);
        output.WriteLine(result.FormatConfusion());
        Assert.Equal(360, result.Total);
        Assert.True(result.Accuracy >= 0.99, result.FormatConfusion());
        Assert.All(result.PerClassAccuracy(), a => Assert.True(a >= 0.9, $"class accuracy {a}"));
        // Right for the right reason: correct answers on clean clips are confident ones.
        Assert.True(result.Predictions.Count(p => p.IsConfident) >= 0.95 * result.Total);
    }

    [Fact]
    public void StaysAccurateOnNoisyBlurredAndColourShiftedClips()
    {
        var samples = HeldOutClips.Make(66, 16, 48, 48, seed: 200).Concat(HeldOutClips.Make(66, 8, 32, 40, seed: 201)).ToList();
        var damage = new Func<VideoClip, int, VideoClip>[]
        {
            (c, i) => ClipDamage.AddGaussianNoise(c, 10, (ulong)i),
            (c, _) => ClipDamage.Blur(c),
            (c, _) => ClipDamage.ShiftColour(c, 20, -10, -20),
            (c, i) => ClipDamage.AddGaussianNoise(ClipDamage.ShiftColour(ClipDamage.Blur(c), -15, 10, 15), 10, (ulong)i),
        };
        foreach (var (harm, k) in damage.Select((d, k) => (d, k)))
        {
            var clips = samples.Select((s, i) => harm(s.Clip, i)).ToList();
            var result = ActionAccuracyMetric.Evaluate(clips, samples.Select(s => s.ClassId).ToList());
            output.WriteLine($"damage {k}: {result}");
            Assert.True(result.Accuracy >= 0.95, $"damage {k}: {result.FormatConfusion()}");
        }
    }

    [Fact]
    public void ReversedClipsGiveTheOppositeAction()
    {
        var samples = HeldOutClips.Make(66, 12, 48, 64, seed: 300).ToList();
        var wrong = samples.Where(s => ActionClassifier.Classify(ClipDamage.Reverse(s.Clip)).ActionId != s.Action.Reversed.Id).ToList();
        Assert.True(wrong.Count == 0, string.Join("; ", wrong.Select(s => s.Caption)));
        // And the reverse is not the same for a move: the classifier does read the frame order.
        Assert.Equal(ShapeAction.MoveLeft.Id, ActionClassifier.Classify(ClipDamage.Reverse(
            ShapesDataset.Render(ShapeSubject.All[3], ShapeAction.MoveRight, 10, 40, 40, 5).Clip)).ActionId);
    }

    [Fact]
    public void StaticClipIsNotConfidentlyClassified()
    {
        foreach (var subject in ShapeSubject.All.Where((_, i) => i % 7 == 0))
        {
            var still = Enumerable.Repeat(new TrajectoryPoint(20.3, 17.8, 9), 12).ToArray();
            var clip = ShapesRenderer.Render(subject, still, 40, 48, (ulong)subject.Id);
            var noisy = ClipDamage.AddGaussianNoise(clip, 10, 1);
            foreach (var c in new[] { clip, noisy })
            {
                var prediction = ActionClassifier.Classify(c);
                Assert.False(prediction.IsConfident, $"{subject}: {prediction} {prediction.Evidence}");
                Assert.Equal(ActionPrediction.None, prediction.ActionId);
                Assert.Equal(1.0, prediction.Evidence.Presence);
            }
        }
    }

    [Fact]
    public void NoiseOrAnEmptySceneHasNoAction()
    {
        var rng = new SplitMix64(9);
        var noise = new VideoClip(16, 48, 48);
        for (var i = 0; i < noise.Pixels.Length; i++) noise.Pixels[i] = (byte)rng.NextInt(256);
        var grey = new VideoClip(16, 48, 48);
        Array.Fill(grey.Pixels, (byte)128);
        var backgroundOnly = ShapesRenderer.Render(ShapeSubject.All[5],
            Enumerable.Repeat(new TrajectoryPoint(-100, -100, 8), 16).ToArray(), 48, 48, 3);

        foreach (var clip in new[] { noise, grey, backgroundOnly })
        {
            var prediction = ActionClassifier.Classify(clip);
            Assert.Equal(ActionPrediction.None, prediction.ActionId);
            Assert.Equal(0, prediction.Confidence);
        }
    }

    [Fact]
    public void ShuffledFramesAreNotConfidentlyAMove()
    {
        // The same frames in a scrambled order show no coherent straight motion.
        var sample = ShapesDataset.Render(ShapeSubject.All[40], ShapeAction.MoveRight, 16, 48, 48, 21);
        var order = new[] { 9, 2, 14, 5, 0, 11, 7, 15, 3, 12, 1, 8, 13, 4, 10, 6 };
        var shuffled = sample.Clip.Clone();
        for (var t = 0; t < order.Length; t++) sample.Clip.Frame(order[t]).CopyTo(shuffled.Frame(t));
        Assert.True(ActionClassifier.Classify(sample.Clip).IsConfident);
        Assert.False(ActionClassifier.Classify(shuffled).IsConfident);
    }

    [Fact]
    public void OneLostFrameDoesNotChangeTheAnswer()
    {
        foreach (var sample in HeldOutClips.Make(22, 10, 40, 40, seed: 400))
        {
            var damaged = sample.Clip.Clone();
            sample.RenderBackground().CopyTo(damaged.Frame(6));
            var prediction = ActionClassifier.Classify(damaged);
            Assert.Equal(sample.Action, prediction.Action);
            Assert.Equal(0.9, prediction.Evidence.Presence, 6);
        }
    }

    [Fact]
    public void TrackerFindsTheObjectWhereTheTrajectorySaysItIs()
    {
        foreach (var sample in HeldOutClips.Make(22, 8, 48, 48, seed: 500))
        {
            var track = ObjectTracker.Track(sample.Clip);
            Assert.NotNull(track.ObjectColour);
            for (var t = 0; t < track.Frames; t++)
            {
                var o = track.Observations[t];
                Assert.True(o.Found);
                Assert.InRange(o.X, sample.Trajectory[t].X - 0.5, sample.Trajectory[t].X + 0.5);
                Assert.InRange(o.Y, sample.Trajectory[t].Y - 0.5, sample.Trajectory[t].Y + 0.5);
            }
        }
    }
}
