using Decoupled.Decompositions;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Runtime;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;

namespace Decoupled.Tests.Pipelines;

public class TargetSpaceTests
{
    private static VideoClip RandomClip(int seed)
    {
        var clip = new VideoClip(5, 8, 8);
        new Random(seed).NextBytes(clip.Pixels);
        return clip;
    }

    [Fact]
    public void FrameDifferencesRoundTripExactlyAndMatchThePlainDecomposition()
    {
        TorchRuntime.Initialize();
        var clip = RandomClip(1);
        using var video = ClipTensor.ToBatch([clip]);
        var space = new FrameDifferenceTargetSpace();
        using var target = space.Encode(video);
        Assert.Equal(new long[] { 1, 3, 4, 8, 8 }, target.shape);
        Assert.True(target.abs().max().item<float>() <= 1.0f);

        // Same numbers as the byte-level decomposition: d[n] = (v[n] - v[n-1]) / 255 after scaling by 0.5 of the 2/255 step.
        var parts = new FrameDifference().Decompose(clip);
        Assert.Equal(parts.Differences[2, 3, 4, 1] / 255.0, target[0, 1, 2, 3, 4].item<float>(), 5);

        using var first = video.select(2, 0);
        using var rebuilt = space.Decode(target, first);
        Assert.True(ClipTensor.FromBatch(rebuilt)[0].ContentEquals(clip));
    }

    [Fact]
    public void FirstFrameDifferencesRoundTripAndKeepAnErrorInItsOwnFrame()
    {
        TorchRuntime.Initialize();
        var clip = RandomClip(3);
        using var video = ClipTensor.ToBatch([clip]);
        var space = (FrameDifferenceTargetSpace)VideoTargetSpaces.Create(FrameDifferenceTargetSpace.FirstFrameName, 0.5);
        Assert.Equal(DifferenceReference.FirstFrame, space.Reference);
        Assert.Equal("first-frame-differences", space.Name);
        using var target = space.Encode(video);
        Assert.Equal(new long[] { 1, 3, 4, 8, 8 }, target.shape);
        // d[n] = (v[n] - v[0]) * 0.5, by hand at one pixel of frame 3.
        double expected = (clip[3, 2, 5, 1] - clip[0, 2, 5, 1]) / 255.0;
        Assert.Equal(expected, target[0, 1, 2, 2, 5].item<float>(), 5);

        using var first = video.select(2, 0);
        using var rebuilt = space.Decode(target, first);
        Assert.True(ClipTensor.FromBatch(rebuilt)[0].ContentEquals(clip));

        // A wrong difference at frame 1 changes frame 1 only; consecutive differences carry it on.
        using var wrong = target.clone();
        wrong[0, 0, 0, 0, 0] = wrong[0, 0, 0, 0, 0] + 0.2f;
        using var fromFirst = space.Decode(wrong, first);
        using var fromPrevious = new FrameDifferenceTargetSpace(0.5).Decode(new FrameDifferenceTargetSpace(0.5).Encode(video), first);
        using var consecutive = new FrameDifferenceTargetSpace(0.5).Encode(video);
        consecutive[0, 0, 0, 0, 0] = consecutive[0, 0, 0, 0, 0] + 0.2f;
        using var carried = new FrameDifferenceTargetSpace(0.5).Decode(consecutive, first);
        using var changedFirst = (fromFirst - rebuilt).abs().sum(new long[] { 0, 1, 3, 4 });
        using var changedPrevious = (carried - fromPrevious).abs().sum(new long[] { 0, 1, 3, 4 });
        Assert.True(changedFirst[1].item<float>() > 0 && changedFirst.narrow(0, 2, 3).sum().item<float>() == 0);
        Assert.True(changedPrevious[4].item<float>() > 0, "a consecutive difference's error reaches the last frame (unless clamped away)");
    }

    [Fact]
    public void FirstFrameDifferencesHaveTheirOwnUnitVarianceScale()
    {
        TorchRuntime.Initialize();
        // A bright square moving right one pixel a frame on black: consecutive differences stay two
        // columns wide, differences to the first frame widen, so their spread (and scale) differs.
        var clip = new VideoClip(6, 16, 16);
        for (int n = 0; n < 6; n++)
            for (int y = 4; y < 8; y++)
                for (int x = 2 + n; x < 6 + n; x++)
                    for (int c = 0; c < 3; c++) clip[n, y, x, c] = 255;
        using var video = ClipTensor.ToBatch([clip]);
        double previous = FrameDifferenceTargetSpace.UnitVarianceScale(video);
        double first = FrameDifferenceTargetSpace.UnitVarianceScale(video, DifferenceReference.FirstFrame);
        Assert.True(first < previous, $"first-frame scale {first} should be below the consecutive one {previous}");
        using var scaled = new FrameDifferenceTargetSpace(first, DifferenceReference.FirstFrame).Encode(video);
        Assert.InRange(scaled.std().item<float>(), 0.9, 1.1);
    }

    [Fact]
    public void DecodingClampsEveryFrame()
    {
        TorchRuntime.Initialize();
        var space = new FrameDifferenceTargetSpace();
        using var first = torch.zeros(1, 3, 2, 2);
        // +1 (scaled: +2) then -0.5 (scaled: -1): clamped at 1 after frame 1, so frame 2 is 0, not 1.
        using var target = torch.stack([torch.ones(1, 3, 2, 2), torch.full(1, 3, 2, 2, -0.5f)], 2);
        using var video = space.Decode(target, first);
        Assert.Equal(1f, video[0, 0, 1, 0, 0].item<float>());
        Assert.Equal(0f, video[0, 0, 2, 0, 0].item<float>());
    }

    [Fact]
    public void PixelsAreTheirOwnTargetAndUnknownNamesAreRejected()
    {
        TorchRuntime.Initialize();
        using var video = ClipTensor.ToBatch([RandomClip(2)]);
        var space = VideoTargetSpaces.Create("pixels");
        Assert.Equal(5, space.TargetFrames(5));
        using var target = space.Encode(video);
        Assert.True(target.eq(video).all().item<bool>());
        Assert.Throws<UserInputException>(() => VideoTargetSpaces.Create("jpeg"));
    }

    [Fact]
    public void UnitVarianceScaleNormalisesSparseDifferences()
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        // Two frames: one pixel of one channel jumps from -1 to 1 (difference 2), every other difference is 0.
        var video = torch.full([1, 3, 2, 10, 10], -1f);
        video[0, 0, 1, 4, 4] = torch.tensor(1f);
        long n = 3 * 10 * 10;
        double mean = 2.0 / n, std = Math.Sqrt((4.0 / n - mean * mean) * n / (n - 1));   // torch.std is unbiased
        double scale = FrameDifferenceTargetSpace.UnitVarianceScale(video);
        Assert.Equal(1.0 / std, scale, 1.0 / std * 0.05);                 // two significant digits
        var space = new FrameDifferenceTargetSpace(scale);
        Assert.Equal(2 * scale, space.SampleRange);
        Assert.Equal(1.0, space.Encode(video).std().item<float>(), 0.06);
        Assert.Equal(1.0, new PixelTargetSpace().SampleRange);
        Assert.Equal(1.0, FrameDifferenceTargetSpace.UnitVarianceScale(torch.zeros([1, 3, 2, 4, 4])));
    }

    [Fact]
    public void TheDeadZoneKeepsStillPixelsStillAndLargeDifferences()
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        var space = new FrameDifferenceTargetSpace(scale: 10);
        var first = torch.zeros(1, 3, 2, 2);
        // Pixel (0, 0) moves by 0.5 (scaled: 5) per frame; the others get small sampled errors of 0.3 (scaled; 0.03 in pixels).
        var target = torch.full(new long[] { 1, 3, 2, 2, 2 }, 0.3f);
        target[.., .., .., 0, 0] = torch.tensor(5f);
        Assert.NotEqual(0f, space.Decode(target, first)[0, 0, 2, 1, 1].item<float>(), 1e-6f);

        space.DeadZone = 1.0;
        var video = space.Decode(target, first);
        Assert.Equal(1f, video[0, 0, 2, 0, 0].item<float>(), 1e-6f);
        Assert.True(video.narrow(3, 1, 1).eq(0).all().item<bool>(), "still pixels drifted");
        Assert.Throws<ArgumentOutOfRangeException>(() => space.DeadZone = double.NaN);
    }
}
