using Decoupled.Video;

namespace Decoupled.Tests.Video;

public class FrameOpsTests
{
    static VideoClip ThreeBands(int width, int height)
    {
        // Left quarter red, middle half green, right quarter blue.
        var clip = new VideoClip(1, height, width);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                clip[0, y, x, x < width / 4 ? 0 : x < 3 * width / 4 ? 1 : 2] = 255;
        return clip;
    }

    [Fact]
    public void Cover_crop_gives_the_size_and_keeps_only_the_centre()
    {
        var square = FrameOps.Resize(ThreeBands(64, 32), new FrameSize(16, 16));
        Assert.Equal((16, 16), (square.Width, square.Height));
        for (int x = 0; x < 16; x++)
        {
            Assert.Equal(255, square[0, 8, x, 1]);
            Assert.Equal(0, square[0, 8, x, 0]);
            Assert.Equal(0, square[0, 8, x, 2]);
        }
    }

    [Fact]
    public void Stretch_keeps_everything()
    {
        var squashed = FrameOps.Resize(ThreeBands(64, 32), new FrameSize(16, 16), ResizeMode.Stretch);
        Assert.Equal(255, squashed[0, 8, 0, 0]);
        Assert.Equal(255, squashed[0, 8, 8, 1]);
        Assert.Equal(255, squashed[0, 8, 15, 2]);
    }

    [Fact]
    public void Area_downscale_by_two_averages_each_two_by_two_block()
    {
        var clip = new VideoClip(1, 2, 4);
        byte[] values = [0, 100, 50, 50, 200, 0, 10, 30];
        for (int i = 0; i < 8; i++) clip[0, i / 4, i % 4, 0] = values[i];
        var half = FrameOps.Resize(clip, new FrameSize(2, 1), ResizeMode.Stretch, ResizeFilter.Area);
        Assert.Equal((0 + 100 + 200 + 0) / 4, half[0, 0, 0, 0]);
        Assert.Equal((50 + 50 + 10 + 30) / 4, half[0, 0, 1, 0]);
    }

    [Fact]
    public void Bilinear_upscale_interpolates_between_neighbours()
    {
        var clip = new VideoClip(1, 1, 2);
        clip[0, 0, 0, 1] = 0;
        clip[0, 0, 1, 1] = 200;
        var wide = FrameOps.Resize(clip, new FrameSize(4, 1), ResizeMode.Stretch, ResizeFilter.Bilinear);
        // Sample centres at source x = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        Assert.Equal([0, 50, 150, 200], Enumerable.Range(0, 4).Select(x => (int)wide[0, 0, x, 1]));
    }

    [Fact]
    public void Constant_frames_stay_constant_at_any_size()
    {
        var clip = new VideoClip(2, 30, 50);
        Array.Fill(clip.Pixels, (byte)77);
        foreach (var size in new[] { new FrameSize(7, 13), new FrameSize(64, 64), new FrameSize(50, 30) })
        {
            var resized = FrameOps.Resize(clip, size);
            Assert.Equal((2, size.Height, size.Width), (resized.Frames, resized.Height, resized.Width));
            Assert.All(resized.Pixels, p => Assert.Equal(77, p));
        }
    }

    [Theory]
    [InlineData(ResizeMode.Stretch, 64, 48)]
    [InlineData(ResizeMode.Stretch, 40, 40)]
    [InlineData(ResizeMode.CoverCrop, 64, 64)]
    [InlineData(ResizeMode.Stretch, 200, 150)]
    public void Resize_matches_ffmpeg_closely(ResizeMode mode, int w, int h)
    {
        var source = VideoReader.Read(TestMedia.City, new VideoReadOptions { FrameCount = 3 });
        var ours = FrameOps.Resize(source, new FrameSize(w, h), mode);
        var ffmpeg = VideoReader.Read(TestMedia.City, new VideoReadOptions { FrameCount = 3, Size = new(w, h), Resize = mode });
        Assert.True(TestMedia.Psnr(ours, ffmpeg) > 30, $"PSNR {TestMedia.Psnr(ours, ffmpeg):0.0}");
    }

    [Fact]
    public void Center_crop_takes_the_middle()
    {
        var clip = TestMedia.Indexed(2, 10, 6);
        var crop = FrameOps.CenterCrop(clip, new FrameSize(4, 2));
        Assert.Equal((4, 2), (crop.Width, crop.Height));
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(clip[1, 2, 3, c], crop[1, 0, 0, c]);
            Assert.Equal(clip[1, 3, 6, c], crop[1, 1, 3, c]);
        }
        Assert.Throws<ArgumentException>(() => FrameOps.CenterCrop(clip, new FrameSize(11, 2)));
    }

    [Fact]
    public void Resize_frame_works_on_spans()
    {
        var clip = ThreeBands(8, 4);
        var output = new byte[4 * 4 * 3];
        FrameOps.ResizeFrame(clip.Frame(0), new FrameSize(8, 4), output, new FrameSize(4, 4));
        Assert.Equal(255, output[1]);
        Assert.Throws<ArgumentException>(() => FrameOps.ResizeFrame(clip.Frame(0), new FrameSize(8, 8), output, new FrameSize(4, 4)));
    }
}
