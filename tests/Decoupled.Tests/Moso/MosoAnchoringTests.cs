using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Moso;
using Decoupled.Tests.Checkpoints;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

[Collection(TorchRngCollection.Name)]
public class MosoAnchoringTests
{
    // decoded: 4 frames of one pixel; K = 2, so frame 1 is the decoded last given frame.
    private static Tensor Decoded(params float[] frames) => torch.tensor(frames).view(1, 1, frames.Length, 1, 1);

    private static Tensor LastGiven(float value) => torch.tensor(new[] { value }).view(1, 1, 1, 1, 1);

    [Fact]
    public void NoAnchorReturnsTheDecodedFramesAfterTheContext()
    {
        using var decoded = Decoded(0.1f, 0.2f, 0.3f, 0.4f);
        using var lastGiven = LastGiven(0.9f);
        using var predicted = MosoAnchoring.PredictedFrames(MosoAnchor.None, decoded, lastGiven, context: 2);
        Assert.Equal(new[] { 0.3f, 0.4f }, predicted.flatten().data<float>().ToArray());
    }

    [Fact]
    public void LastFrameAddsTheDecodedChangeToTheRealLastFrame()
    {
        // A static decoding gives the real frame back exactly; a decoded change of +0.1 moves it by 0.1.
        using var decoded = Decoded(0.5f, 0.2f, 0.2f, 0.3f);
        using var lastGiven = LastGiven(-0.4f);
        using var predicted = MosoAnchoring.PredictedFrames(MosoAnchor.LastFrame, decoded, lastGiven, context: 2);
        var values = predicted.flatten().data<float>().ToArray();
        Assert.Equal(-0.4f, values[0]);
        Assert.Equal(-0.3f, values[1], 5);
    }

    [Fact]
    public void LastFrameClampsToTheUnitRange()
    {
        using var decoded = Decoded(0f, -0.5f, 0.5f, -1f);
        using var lastGiven = LastGiven(0.8f);
        using var predicted = MosoAnchoring.PredictedFrames(MosoAnchor.LastFrame, decoded, lastGiven, context: 2);
        Assert.Equal(new[] { 1f, 0.3f }, predicted.flatten().data<float>().ToArray());
    }

    [Fact]
    public void UnchangedKeepsTheRealFrameWhereStaticAndTheDecodingWhereChanged()
    {
        // decode(K-1) = 0.2 and the real frame is 0.5 (a reconstruction error of 0.3).
        // Frame 2 does not change: the real pixel. Frame 3 changes by 0.5 >= 0.1: the decoding alone.
        using var decoded = Decoded(0f, 0.2f, 0.2f, 0.7f);
        using var lastGiven = LastGiven(0.5f);
        using var predicted = MosoAnchoring.PredictedFrames(MosoAnchor.Unchanged, decoded, lastGiven, context: 2);
        var values = predicted.flatten().data<float>().ToArray();
        Assert.Equal(0.5f, values[0], 6);
        Assert.Equal(0.7f, values[1], 6);
    }

    [Fact]
    public void UnchangedBlendsLinearlyBelowTheChangeScaleUsingTheLargestChannel()
    {
        // Two pixels x three channels; K = 1, one predicted frame. Pixel 0 changes by 0.05 in one
        // channel only (half of ChangeScale), so every channel keeps half of the static error 0.2.
        using var decoded = torch.tensor(new float[]
        {
            0f, 0f, 0.05f, 0f, // channel 0: frame 0, then frame 1
            0f, 0f, 0f, 0f,
            0f, 0f, 0f, 0f,
        }).view(1, 3, 2, 1, 2);
        using var lastGiven = torch.full([1L, 3, 1, 1, 2], 0.2f);
        using var predicted = MosoAnchoring.PredictedFrames(MosoAnchor.Unchanged, decoded, lastGiven, context: 1);
        var values = predicted.flatten().data<float>().ToArray();
        // [channel, pixel]: pixel 0 gets decode + 0.5 * 0.2, pixel 1 (no change) the real 0.2.
        Assert.Equal(new[] { 0.15f, 0.2f, 0.1f, 0.2f, 0.1f, 0.2f }, values.Select(v => MathF.Round(v, 5)).ToArray());
    }

    [Fact]
    public void UnchangedClampsToTheUnitRange()
    {
        using var decoded = Decoded(0f, -0.5f, -0.5f, 0.5f);
        using var lastGiven = LastGiven(1f);
        using var predicted = MosoAnchoring.PredictedFrames(MosoAnchor.Unchanged, decoded, lastGiven, context: 2);
        Assert.Equal(new[] { 1f, 0.5f }, predicted.flatten().data<float>().ToArray());
    }

    [Fact]
    public void CopyUnchangedKeepsTheGivenPixelWhereTheDecodingBarelyMovesAndBlendsTowardTheDecoding()
    {
        // decode(K-1) = 0.2, real frame 0.5. Frame 2 wobbles by 0.02 (a fifth of ChangeScale):
        // unchanged keeps the wobble on top of 80% of the static error (0.22 + 0.8 * 0.3 = 0.46),
        // copy-unchanged moves a fifth of the way from the real pixel to the decoding
        // (0.5 + 0.2 * (0.22 - 0.5) = 0.444). Frame 3 changes by 0.5: the decoding.
        using var decoded = Decoded(0f, 0.2f, 0.22f, 0.7f);
        using var lastGiven = LastGiven(0.5f);
        using var copied = MosoAnchoring.PredictedFrames(MosoAnchor.CopyUnchanged, decoded, lastGiven, context: 2);
        using var unchanged = MosoAnchoring.PredictedFrames(MosoAnchor.Unchanged, decoded, lastGiven, context: 2);
        var values = copied.flatten().data<float>().ToArray();
        Assert.Equal(0.444f, values[0], 5);
        Assert.Equal(0.7f, values[1], 6);
        Assert.Equal(0.46f, unchanged.flatten().data<float>()[0], 5);
        using var still = Decoded(0f, 0.2f, 0.2f, 0.2f);
        Assert.Equal(new[] { 0.5f, 0.5f }, MosoAnchoring.PredictedFrames(MosoAnchor.CopyUnchanged, still, lastGiven, context: 2).flatten().data<float>().ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void TheContextMustLeaveFramesToPredict(int context)
    {
        using var decoded = Decoded(0f, 0f, 0f, 0f);
        using var lastGiven = LastGiven(0f);
        Assert.Throws<ArgumentOutOfRangeException>(() => MosoAnchoring.PredictedFrames(MosoAnchor.LastFrame, decoded, lastGiven, context));
    }

    [Fact]
    public void AnAnchoredPredictionDiffersFromThePlainOneByOneOffsetForAllFrames()
    {
        // Same seed, same tokens: the anchored frames are the plain ones shifted by (real last - decoded last),
        // the same shift for every predicted frame wherever neither is clamped (up to 8-bit rounding).
        var model = MosoPipelineTesting.Model();
        var sampler = model.Sampler();
        var clip = new ShapesClipSource(8, 32, 32, 7, ShapesSplit.Test).Draw(0, 0).Clip;
        var context = clip.Slice(0, 2);
        var options = MosoSampleOptions.Default with { Motion = MosoSampleOptions.Default.Motion with { Iterations = 2 } };
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        var plain = MosoPrediction.Predict(sampler, model.Config, context, 6, null, 1, options, g1).Predicted;
        var anchored = MosoPrediction.Predict(sampler, model.Config, context, 6, null, 1, options, g2, MosoAnchor.LastFrame).Predicted;

        int compared = 0, shifted = 0;
        for (int p = 0; p < plain.Frame(0).Length; p++)
        {
            var offsets = Enumerable.Range(0, 6).Select(t => (int)anchored.Frame(t)[p] - plain.Frame(t)[p]).ToList();
            bool inside = Enumerable.Range(0, 6).All(t => anchored.Frame(t)[p] is > 0 and < 255 && plain.Frame(t)[p] is > 0 and < 255);
            if (!inside) continue;
            compared++;
            Assert.True(offsets.Max() - offsets.Min() <= 2, $"pixel {p}: offsets {string.Join(",", offsets)}");
            if (Math.Abs(offsets[0]) > 2) shifted++;
        }
        Assert.True(compared > 100, $"only {compared} unclamped pixels");
        Assert.True(shifted > 0, "the anchor changed nothing");
    }
}
