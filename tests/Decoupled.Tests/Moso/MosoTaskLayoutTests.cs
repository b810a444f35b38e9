using Decoupled.Pipelines.Moso;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

public class MosoTaskLayoutTests
{
    [Fact]
    public void PredictionRepeatsTheLastGivenFrame()
    {
        var layout = MosoTaskLayout.Create(MosoTask.Prediction, frames: 8, context: 2, endFrames: 2, pool: 2);
        Assert.Equal([true, true, false, false, false, false, false, false], layout.Given);
        Assert.Equal([0, 1, 1, 1, 1, 1, 1, 1], layout.PseudoSourceFrames());
    }

    [Fact]
    public void InterpolationKeepsBothEnds()
    {
        var layout = MosoTaskLayout.Create(MosoTask.Interpolation, frames: 8, context: 2, endFrames: 2, pool: 2);
        Assert.Equal([true, true, false, false, false, false, true, true], layout.Given);
        Assert.Equal([0, 1, 1, 1, 1, 1, 6, 7], layout.PseudoSourceFrames());
        Assert.Equal([true, true, true, true, false, false, false, false, false, false, false, false, true, true, true, true],
            layout.KnownMotionPositions(perFrame: 2));
    }

    [Fact]
    public void UnconditionalGivesNothing()
    {
        var layout = MosoTaskLayout.Create(MosoTask.Unconditional, frames: 8, context: 2, endFrames: 2, pool: 2);
        Assert.All(layout.Given, g => Assert.False(g));
        Assert.All(layout.KnownMotionPositions(4), g => Assert.False(g));
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(0, 2)]
    [InlineData(8, 1)]
    public void ContextMustFillWholePoolsAndLeaveWork(int context, int pool)
    {
        Assert.Throws<UserInputException>(() => MosoTaskLayout.Create(MosoTask.Prediction, frames: 8, context, endFrames: 2, pool));
    }

    [Fact]
    public void ThePseudoVideoGathersTheSourceFrames()
    {
        var layout = MosoTaskLayout.Create(MosoTask.Prediction, frames: 4, context: 2, endFrames: 2, pool: 1);
        using var video = torch.arange(4, dtype: ScalarType.Float32).view(1, 1, 4, 1, 1).expand(2, 3, 4, 2, 2).contiguous();
        using var pseudo = layout.PseudoVideo(video);
        Assert.Equal(new float[] { 0, 1, 1, 1 }, pseudo[0, 0, .., 0, 0].data<float>().ToArray());
    }

    [Fact]
    public void FrameDifferenceIsBackwardAndHalved()
    {
        using var video = torch.tensor(new float[] { -1, 1, 0, 0 }).view(1, 1, 4, 1, 1);
        using var difference = MosoInputs.FrameDifference(video);
        Assert.Equal(new float[] { 0, 1, -0.5f, 0 }, difference.flatten().data<float>().ToArray());
    }

    [Fact]
    public void CopyLastRepeatsTheLastContextFrame()
    {
        var context = new Decoupled.Video.VideoClip(2, 2, 2);
        context.Frame(1).Fill(200);
        var copy = MosoPrediction.CopyLast(context, 3);
        Assert.Equal(3, copy.Frames);
        Assert.All(copy.Pixels, p => Assert.Equal(200, p));
    }
}
