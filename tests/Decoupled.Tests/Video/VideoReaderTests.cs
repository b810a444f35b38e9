using Decoupled.Video;

namespace Decoupled.Tests.Video;

public class VideoReaderTests
{
    [Fact]
    public void Probe_real_fixture_reports_its_size_count_and_rate()
    {
        var info = VideoReader.Probe(TestMedia.City);
        Assert.Equal((160, 120, 32), (info.Width, info.Height, info.FrameCount));
        Assert.True(info.FrameCountIsExact);
        Assert.Equal(25, info.FramesPerSecond, 3);
        Assert.Equal(1.28, info.DurationSeconds, 2);
        Assert.Equal("h264", info.Codec);
    }

    [Fact]
    public void Real_fixture_reads_every_frame_at_source_size_and_rate()
    {
        var clip = VideoReader.Read(TestMedia.City);
        Assert.Equal((32, 120, 160), (clip.Frames, clip.Height, clip.Width));
        Assert.Equal(25, clip.FramesPerSecond, 3);
        // Real footage: frames differ from each other and are not blank.
        Assert.False(clip.Frame(0).SequenceEqual(clip.Frame(31)));
        Assert.True(clip.Pixels.Max() > 100);
    }

    [Fact]
    public void Range_and_stride_pick_the_right_frames_from_a_video_file()
    {
        using var dir = new TempDir();
        var path = dir.File("indexed.mkv");
        VideoWriter.WriteLosslessMkv(TestMedia.Indexed(20, 32, 24), path);

        var clip = VideoReader.Read(path, new VideoReadOptions { Start = 3, Stride = 4, FrameCount = 4 });
        Assert.Equal([3, 7, 11, 15], Enumerable.Range(0, clip.Frames).Select(t => TestMedia.IndexOf(clip, t)));

        var tail = VideoReader.Read(path, new VideoReadOptions { Start = 13, Stride = 3 });
        Assert.Equal([13, 16, 19], Enumerable.Range(0, tail.Frames).Select(t => TestMedia.IndexOf(tail, t)));
    }

    [Fact]
    public void Range_and_stride_pick_the_right_frames_from_a_frame_folder()
    {
        using var dir = new TempDir();
        VideoWriter.WritePngFrames(TestMedia.Indexed(12, 16, 8), dir.Path);
        var clip = VideoReader.Read(dir.Path, new VideoReadOptions { Start = 1, Stride = 5 });
        Assert.Equal([1, 6, 11], Enumerable.Range(0, clip.Frames).Select(t => TestMedia.IndexOf(clip, t)));
        Assert.Equal(25, clip.FramesPerSecond);
    }

    [Fact]
    public void Lossless_mkv_round_trip_is_exact()
    {
        using var dir = new TempDir();
        var original = TestMedia.Indexed(6, 17, 9, fps: 12);
        VideoWriter.WriteLosslessMkv(original, dir.File("a.mkv"));
        var back = VideoReader.Read(dir.File("a.mkv"));
        Assert.True(back.ContentEquals(original));
        Assert.Equal(12, back.FramesPerSecond, 3);
    }

    [Fact]
    public void Frame_folder_is_read_in_natural_order()
    {
        var folder = TestMedia.Fixture("city_frames");
        var clip = VideoReader.Read(folder);
        Assert.Equal((16, 36, 48), (clip.Frames, clip.Height, clip.Width));
        // frame10.png must be the 10th frame, not the 2nd as in plain alphabetical order.
        var tenth = VideoReader.Read(Path.Combine(folder, "frame10.png"));
        Assert.True(clip.Frame(9).SequenceEqual(tenth.Frame(0)));
        Assert.False(clip.Frame(1).SequenceEqual(tenth.Frame(0)));
    }

    [Fact]
    public void Frame_folder_matches_the_video_it_came_from()
    {
        var fromFolder = VideoReader.Read(TestMedia.Fixture("city_frames"), new VideoReadOptions { FrameCount = 4 });
        var fromVideo = VideoReader.Read(TestMedia.City, new VideoReadOptions { FrameCount = 4, Size = new(48, 36), Resize = ResizeMode.Stretch });
        Assert.True(TestMedia.Psnr(fromFolder, fromVideo) > 30);
    }

    [Fact]
    public void Cover_crop_in_ffmpeg_gives_the_target_size_and_keeps_the_centre()
    {
        using var dir = new TempDir();
        // 64x32 frames: left quarter red, middle half green, right quarter blue.
        var clip = new VideoClip(2, 32, 64);
        for (int t = 0; t < 2; t++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 64; x++)
                    clip[t, y, x, x < 16 ? 0 : x < 48 ? 1 : 2] = 255;
        VideoWriter.WriteLosslessMkv(clip, dir.File("wide.mkv"));

        var square = VideoReader.Read(dir.File("wide.mkv"), new VideoReadOptions { Size = new(16, 16) });
        Assert.Equal((2, 16, 16), (square.Frames, square.Height, square.Width));
        // Cover+crop keeps only the middle half: all green, no red or blue at the edges.
        Assert.True(square[0, 8, 0, 1] > 200 && square[0, 8, 0, 0] < 50);
        Assert.True(square[0, 8, 15, 1] > 200 && square[0, 8, 15, 2] < 50);

        var stretched = VideoReader.Read(dir.File("wide.mkv"), new VideoReadOptions { Size = new(16, 16), Resize = ResizeMode.Stretch });
        Assert.True(stretched[0, 8, 0, 0] > 200);
        Assert.True(stretched[0, 8, 15, 2] > 200);
    }

    [Fact]
    public void Frame_folder_resize_uses_the_same_cover_crop()
    {
        var clip = VideoReader.Read(TestMedia.Fixture("city_frames"), new VideoReadOptions { Size = new(20, 20), FrameCount = 2 });
        Assert.Equal((2, 20, 20), (clip.Frames, clip.Height, clip.Width));
    }

    [Fact]
    public void Gif_reads_back_through_ffmpeg_with_its_frame_rate()
    {
        using var dir = new TempDir();
        VideoWriter.WriteGif(TestMedia.FewColours(5, 16, 16, fps: 10), dir.File("a.gif"));
        var info = VideoReader.Probe(dir.File("a.gif"));
        Assert.Equal(5, info.FrameCount);
        Assert.Equal(10, info.FramesPerSecond, 3);
    }

    [Theory]
    [InlineData("mpg", "mpeg2video")]
    [InlineData("avi", "mpeg4")]
    [InlineData("webm", "libvpx-vp9")]
    [InlineData("mov", "libx264")]
    public void Other_containers_read_with_exact_frame_counts(string extension, string codec)
    {
        using var dir = new TempDir();
        var path = dir.File("city." + extension);
        TestMedia.Ffmpeg("-i", TestMedia.City, "-frames:v", "12", "-c:v", codec, "-q:v", "2", "-pix_fmt", "yuv420p", path);
        var info = VideoReader.Probe(path);
        Assert.Equal(12, info.FrameCount);
        Assert.True(info.FrameCountIsExact);
        var clip = VideoReader.Read(path, new VideoReadOptions { Start = 2, Stride = 3 });
        Assert.Equal((4, 120, 160), (clip.Frames, clip.Height, clip.Width));
        var reference = VideoReader.Read(TestMedia.City, new VideoReadOptions { Start = 2, Stride = 3, FrameCount = 4 });
        Assert.True(TestMedia.Psnr(reference, clip) > 22, $"PSNR {TestMedia.Psnr(reference, clip):0.0}");
    }

    [Fact]
    public void Rotated_phone_video_reads_upright_at_the_swapped_size()
    {
        using var dir = new TempDir();
        // Stream copy of the first (key) frame only, so the copy decodes exactly like the original.
        TestMedia.Ffmpeg("-i", TestMedia.City, "-frames:v", "1", "-c", "copy", "-metadata:s:v:0", "rotate=90", dir.File("rot.mp4"));
        var info = VideoReader.Probe(dir.File("rot.mp4"));
        Assert.Equal((120, 160), (info.Width, info.Height));
        var rotated = VideoReader.Read(dir.File("rot.mp4"));
        Assert.Equal((1, 160, 120), (rotated.Frames, rotated.Height, rotated.Width));

        // The content is turned a quarter, not squashed: it equals the original turned one way or the other.
        var upright = VideoReader.Read(TestMedia.City, new VideoReadOptions { FrameCount = 1 });
        double best = Math.Max(TestMedia.Psnr(Turn(upright, clockwise: true), rotated), TestMedia.Psnr(Turn(upright, clockwise: false), rotated));
        Assert.True(best > 40, $"PSNR {best:0.0}");
    }

    static VideoClip Turn(VideoClip clip, bool clockwise)
    {
        var turned = new VideoClip(clip.Frames, clip.Width, clip.Height);
        for (int t = 0; t < clip.Frames; t++)
            for (int y = 0; y < clip.Height; y++)
                for (int x = 0; x < clip.Width; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        int ty = clockwise ? x : clip.Width - 1 - x;
                        int tx = clockwise ? clip.Height - 1 - y : y;
                        turned[t, ty, tx, c] = clip[t, y, x, c];
                    }
        return turned;
    }

    [Fact]
    public void Single_image_reads_as_one_frame()
    {
        var clip = VideoReader.Read(TestMedia.Fixture("city_frames", "frame1.png"));
        Assert.Equal((1, 36, 48), (clip.Frames, clip.Height, clip.Width));
    }

    [Fact]
    public void Cancelled_read_throws_operation_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => VideoReader.Read(TestMedia.City, null, cts.Token));
    }
}
