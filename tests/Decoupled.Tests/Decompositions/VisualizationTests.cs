using Decoupled.Decompositions;
using Decoupled.Decompositions.Visualization;
using Decoupled.Video;

namespace Decoupled.Tests.Decompositions;

public class VisualizationTests
{
    [Fact]
    public void ColorWheelShowsDirectionAsHueAndSpeedAsBrightness()
    {
        var field = new MotionVectorField(1, 16, 48, 16);
        field[0, 0, 0] = (-4, 0); // content moves right: hue 0, red
        field[0, 0, 1] = (0, -2); // content moves down at half speed: hue 90, yellow-green, half bright
        var clip = MotionColorWheel.Render(field, maxMagnitude: 4);
        Assert.Equal((1, 16, 48), (clip.Frames, clip.Height, clip.Width));
        Assert.Equal(((byte)255, (byte)0, (byte)0), Pixel(clip, 5, 5));
        var (r, g, b) = Pixel(clip, 5, 20);
        Assert.True(g == 128 && r == 64 && b == 0, $"got {r},{g},{b}");
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(clip, 5, 40)); // still block is black
    }

    [Fact]
    public void ArrowsRunFromThePreviousPositionToTheBlockCentre()
    {
        var clip = new VideoClip(2, 32, 32);
        var field = new MotionVectorField(1, 32, 32, 16);
        field[0, 0, 0] = (6, 0); // content came from 6 px to the right: arrow from (14, 8) to (8, 8)
        var drawn = MotionArrows.Render(clip, field, (255, 0, 0));
        Assert.Equal(1, drawn.Frames);
        for (int x = 8; x <= 14; x++) Assert.Equal(255, drawn[0, 8, x, 0]);
        Assert.Equal(255, drawn[0, 24, 24, 0]); // still block: a dot at its centre
        Assert.Equal(0, drawn[0, 20, 20, 0]);
        Assert.Throws<UserInputException>(() => MotionArrows.Render(new VideoClip(3, 32, 32), field));
    }

    [Fact]
    public void HeatMapIsBlackForZeroAndWhiteAtTheMaximum()
    {
        var residual = new SignedVideo(1, 1, 3, 3);
        residual[0, 0, 1, 0] = -60; residual[0, 0, 1, 1] = 60; residual[0, 0, 1, 2] = 60;
        residual[0, 0, 2, 0] = 10;
        var heat = ResidualHeatMap.Render(residual);
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(heat, 0, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(heat, 0, 1));
        var (r, g, b) = Pixel(heat, 0, 2);
        Assert.True(r > 0 && g == 0 && b == 0, $"got {r},{g},{b}");
    }

    [Fact]
    public void MaskIsWhiteExactlyOnObjectPixels()
    {
        var clip = TestClips.MovingSquare(4, 24, 40, 5, 1, 5, 7, 0, (150, 140, 130), seed: 3, backgroundMean: 60);
        var parts = new MotionSceneObject().Decompose(clip);
        var mask = SceneObjectMasks.Mask(parts);
        var overlay = SceneObjectMasks.Overlay(parts);
        Assert.True(parts.ObjectFraction() > 0);
        for (int p = 0; p < parts.ObjectMask.Length; p++)
        {
            Assert.Equal(parts.ObjectMask[p] == 1 ? 255 : 0, mask.Pixels[p * 3]);
            if (parts.ObjectMask[p] == 1) Assert.Equal(clip.Pixels[p * 3 + 1], overlay.Pixels[p * 3 + 1]);
            else Assert.True(overlay.Pixels[p * 3] <= 85);
        }
    }

    [Fact]
    public void SummaryReportsTheZeroMotionResidualAndTheResidual()
    {
        var clip = TestClips.GlobalTranslation(4, 48, 48, 2, 1, seed: 1);
        var parts = new BlockMotion().Decompose(clip);
        var summary = DecompositionSummary.Of(clip, parts);
        Assert.Equal(new FrameDifference().Decompose(clip).MeanAbsFrameDifference(), summary.MeanAbsFrameDifference, 9);
        Assert.Equal(parts.Residuals.MeanAbs(), summary.MeanAbsResidual, 9);
        Assert.True(summary.ResidualRatio < 0.5, $"ratio {summary.ResidualRatio}");
        Assert.True(summary.MeanVectorMagnitude > 1);
    }

    private static (byte, byte, byte) Pixel(VideoClip clip, int y, int x) => (clip[0, y, x, 0], clip[0, y, x, 1], clip[0, y, x, 2]);
}
