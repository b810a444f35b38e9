using Decoupled.Video;

namespace Decoupled.Tests.Video;

public class VideoWriterTests
{
    [Fact]
    public void Mp4_round_trip_keeps_count_size_rate_and_quality()
    {
        using var dir = new TempDir();
        var original = TestMedia.Smooth(12, 64, 48, fps: 15);
        VideoWriter.WriteMp4(original, dir.File("out/nested/a.mp4"));

        var info = VideoReader.Probe(dir.File("out/nested/a.mp4"));
        Assert.Equal("h264", info.Codec);
        var back = VideoReader.Read(dir.File("out/nested/a.mp4"));
        Assert.Equal((12, 48, 64), (back.Frames, back.Height, back.Width));
        Assert.Equal(15, back.FramesPerSecond, 3);
        Assert.True(TestMedia.Psnr(original, back) > 30, $"PSNR {TestMedia.Psnr(original, back):0.0} dB");
    }

    [Fact]
    public void Mp4_of_odd_size_is_padded_to_even()
    {
        using var dir = new TempDir();
        var original = TestMedia.Smooth(4, 33, 17);
        VideoWriter.Write(original, dir.File("odd.mp4"));
        var back = VideoReader.Read(dir.File("odd.mp4"));
        Assert.Equal((4, 18, 34), (back.Frames, back.Height, back.Width));
        var cropped = FrameOps.CenterCrop(back, new FrameSize(34, 18));
        Assert.Equal(34, cropped.Width);
        // The original pixels sit at the top-left; the pad is one black column and row.
        var content = new VideoClip(4, 17, 33, Crop(back, 33, 17));
        Assert.True(TestMedia.Psnr(original, content) > 28);
    }

    static byte[] Crop(VideoClip clip, int w, int h)
    {
        var data = new byte[clip.Frames * h * w * 3];
        for (int t = 0; t < clip.Frames; t++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++)
                        data[((t * h + y) * w + x) * 3 + c] = clip[t, y, x, c];
        return data;
    }

    [Fact]
    public void Gif_round_trip_is_exact_when_frames_fit_the_palette()
    {
        using var dir = new TempDir();
        var original = TestMedia.FewColours(6, 32, 24, fps: 20);
        VideoWriter.Write(original, dir.File("a.gif"));
        var back = VideoReader.Read(dir.File("a.gif"));
        Assert.True(back.ContentEquals(original));
        Assert.Equal(20, back.FramesPerSecond, 3);
    }

    [Fact]
    public void Gif_round_trip_of_a_smooth_clip_is_close()
    {
        using var dir = new TempDir();
        var original = TestMedia.Smooth(4, 48, 32);
        VideoWriter.WriteGif(original, dir.File("smooth.gif"));
        var back = VideoReader.Read(dir.File("smooth.gif"));
        Assert.True(TestMedia.Psnr(original, back) > 30);
    }

    [Fact]
    public void Gif_loops_forever()
    {
        using var dir = new TempDir();
        VideoWriter.WriteGif(TestMedia.FewColours(2, 8, 8), dir.File("loop.gif"));
        var bytes = File.ReadAllBytes(dir.File("loop.gif"));
        // NETSCAPE2.0 application extension with a loop count of 0 (= forever).
        int at = bytes.AsSpan().IndexOf("NETSCAPE2.0"u8);
        Assert.True(at > 0);
        Assert.Equal(0, bytes[at + 13] | bytes[at + 14] << 8);
    }

    [Fact]
    public void Png_frames_round_trip_exactly_with_numbered_names()
    {
        using var dir = new TempDir();
        var original = TestMedia.Indexed(11, 20, 10);
        VideoWriter.Write(original, dir.File("frames"));
        Assert.Equal("frame_0000.png", Directory.GetFiles(dir.File("frames")).Select(Path.GetFileName).Order().First());
        var back = VideoReader.Read(dir.File("frames"));
        Assert.True(back.ContentEquals(original));
    }

    [Fact]
    public void Png_frames_replace_a_longer_earlier_clip()
    {
        using var dir = new TempDir();
        VideoWriter.WritePngFrames(TestMedia.Indexed(8, 8, 8), dir.Path);
        VideoWriter.WritePngFrames(TestMedia.Indexed(3, 8, 8), dir.Path);
        Assert.Equal(["frame_0000.png", "frame_0001.png", "frame_0002.png"], dir.Entries());
    }

    [Fact]
    public void Single_png_round_trip_is_exact()
    {
        using var dir = new TempDir();
        var clip = TestMedia.Indexed(3, 9, 7);
        VideoWriter.WritePng(clip, 2, dir.File("f.png"));
        var back = VideoReader.Read(dir.File("f.png"));
        Assert.True(back.ContentEquals(clip.Slice(2, 1)));
        Assert.Throws<UserInputException>(() => VideoWriter.Write(clip, dir.File("many.png")));
    }

    [Fact]
    public void Names_with_spaces_colons_and_dashes_work()
    {
        using var dir = new TempDir();
        var path = dir.File("-my clip: v1 é.mp4");
        VideoWriter.WriteMp4(TestMedia.Smooth(3, 16, 16), path);
        Assert.Equal(3, VideoReader.Read(path).Frames);
    }

    [Fact]
    public void Successful_writes_leave_no_temp_files()
    {
        using var dir = new TempDir();
        var clip = TestMedia.FewColours(3, 16, 16);
        VideoWriter.Write(clip, dir.File("a.mp4"));
        VideoWriter.Write(clip, dir.File("a.mkv"));
        VideoWriter.Write(clip, dir.File("a.gif"));
        VideoWriter.Write(clip.Slice(0, 1), dir.File("a.png"));
        VideoWriter.Write(clip, dir.File("a.mp4"));
        Assert.Equal(["a.gif", "a.mkv", "a.mp4", "a.png"], dir.Entries());
    }

    [Fact]
    public void Failed_write_keeps_the_old_file_and_leaves_no_temp()
    {
        using var dir = new TempDir();
        var target = dir.File("keep.mp4");
        File.WriteAllText(target, "old content");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => VideoWriter.WriteMp4(TestMedia.Smooth(30, 64, 64), target, cancellation: cts.Token));
        Assert.Equal("old content", File.ReadAllText(target));
        Assert.Equal(["keep.mp4"], dir.Entries());
    }

    [Fact]
    public void Write_into_an_impossible_folder_is_a_user_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("blocker"), "a file where a folder should be");
        var e = Assert.Throws<UserInputException>(() => VideoWriter.WriteGif(TestMedia.FewColours(2, 8, 8), dir.File("blocker/a.gif")));
        Assert.Contains("a.gif", e.Message);
        Assert.Equal(["blocker"], dir.Entries());
    }

    [Fact]
    public void Unsupported_extension_and_bad_rate_are_user_errors()
    {
        using var dir = new TempDir();
        Assert.Contains(".xyz", Assert.Throws<UserInputException>(() => VideoWriter.Write(TestMedia.FewColours(2, 8, 8), dir.File("a.xyz"))).Message);
        var noRate = new VideoClip(2, 8, 8, framesPerSecond: 0);
        Assert.Contains("frame rate", Assert.Throws<UserInputException>(() => VideoWriter.WriteMp4(noRate, dir.File("b.mp4"))).Message);
        Assert.Empty(dir.Entries());
    }
}
