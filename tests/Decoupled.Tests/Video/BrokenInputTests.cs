using Decoupled.Video;

namespace Decoupled.Tests.Video;

/// <summary>Every kind of bad input ends in one UserInputException line that names the file; nothing hangs or crashes.</summary>
public class BrokenInputTests
{
    static UserInputException ReadFails(string path, VideoReadOptions? options = null)
    {
        var e = Assert.Throws<UserInputException>(() => VideoReader.Read(path, options));
        Assert.Contains(Path.GetFileName(path.TrimEnd('/')), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void Missing_file()
    {
        using var dir = new TempDir();
        Assert.Contains("no such file", ReadFails(dir.File("nothing-here.mp4")).Message);
        Assert.Throws<UserInputException>(() => VideoReader.Probe(dir.File("nothing-here.mp4")));
    }

    [Fact]
    public void Empty_file()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("empty.mp4"), []);
        Assert.Contains("empty", ReadFails(dir.File("empty.mp4")).Message);
    }

    [Fact]
    public void Committed_truncated_mp4_fails_when_read_whole_but_yields_the_frames_it_has()
    {
        var path = TestMedia.Fixture("broken", "city_truncated.mp4");
        var e = ReadFails(path);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("of 32 frames", e.Message);

        // Asking for no more than the readable frames succeeds; asking for more says how many there were.
        Assert.Equal(1, VideoReader.Read(path, new VideoReadOptions { FrameCount = 1 }).Frames);
        Assert.Contains("only", ReadFails(path, new VideoReadOptions { FrameCount = 20 }).Message);
    }

    [Fact]
    public void Mp4_cut_before_its_index_is_not_readable()
    {
        using var dir = new TempDir();
        // Without faststart the index (moov) sits at the end, so the first half has none.
        TestMedia.Ffmpeg("-i", TestMedia.City, "-c", "copy", dir.File("tail-index.mp4"));
        var bytes = File.ReadAllBytes(dir.File("tail-index.mp4"));
        File.WriteAllBytes(dir.File("cut.mp4"), bytes[..(bytes.Length / 2)]);
        Assert.Contains("not a video", ReadFails(dir.File("cut.mp4")).Message);
    }

    [Fact]
    public void Fixture_truncated_to_a_few_percent()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(TestMedia.City);
        File.WriteAllBytes(dir.File("stub.mp4"), bytes[..(bytes.Length / 20)]);
        ReadFails(dir.File("stub.mp4"));
    }

    [Fact]
    public void Random_bytes()
    {
        using var dir = new TempDir();
        var noise = new byte[4096];
        new Random(7).NextBytes(noise);
        File.WriteAllBytes(dir.File("noise.mp4"), noise);
        ReadFails(dir.File("noise.mp4"));
    }

    [Fact]
    public void Text_file_named_mp4()
    {
        Assert.Contains("not a video", ReadFails(TestMedia.Fixture("broken", "not_a_video.mp4")).Message);
    }

    [Fact]
    public void Png_named_mp4()
    {
        Assert.Contains("PNG image", ReadFails(TestMedia.Fixture("broken", "image_named.mp4")).Message);
    }

    [Fact]
    public void Audio_only_file_has_no_video_stream()
    {
        using var dir = new TempDir();
        TestMedia.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", dir.File("tone.m4a"));
        Assert.Contains("no video stream", ReadFails(dir.File("tone.m4a")).Message);
    }

    [Fact]
    public void Folder_without_images()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.txt"), "no frames here");
        Assert.Contains("no image frames", ReadFails(dir.Path).Message);
    }

    [Fact]
    public void Folder_with_frames_of_different_sizes()
    {
        using var dir = new TempDir();
        VideoWriter.WritePngFrames(TestMedia.Indexed(3, 16, 8), dir.Path);
        VideoWriter.WritePng(TestMedia.Indexed(1, 10, 10), 0, dir.File("frame_0003.png"));
        var e = ReadFails(dir.Path);
        Assert.Contains("frame_0003.png", e.Message);
        Assert.Contains("10x10", e.Message);
    }

    [Fact]
    public void Folder_window_reads_and_checks_only_its_own_frames()
    {
        // A training window of a long frame folder must not pay for (or fail on) frames outside it.
        using var dir = new TempDir();
        VideoWriter.WritePngFrames(TestMedia.Indexed(6, 16, 8), dir.Path);
        var odd = FrameFiles(dir.Path)[4];
        VideoWriter.WritePng(TestMedia.Indexed(1, 10, 10), 0, odd);
        var before = VideoReader.Read(dir.Path, new VideoReadOptions { Start = 0, FrameCount = 3 });
        Assert.Equal((3, 8, 16), (before.Frames, before.Height, before.Width));
        var e = Assert.Throws<UserInputException>(() => VideoReader.Read(dir.Path, new VideoReadOptions { Start = 2, FrameCount = 4 }));
        Assert.Contains(Path.GetFileName(odd), e.Message);
        Assert.Contains("10x10", e.Message);
    }

    static string[] FrameFiles(string folder) => Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Folder_with_a_corrupt_frame()
    {
        using var dir = new TempDir();
        VideoWriter.WritePngFrames(TestMedia.Indexed(3, 16, 8), dir.Path);
        var bytes = File.ReadAllBytes(dir.File("frame_0001.png"));
        File.WriteAllBytes(dir.File("frame_0001.png"), bytes[..20]);
        var e = Assert.Throws<UserInputException>(() => VideoReader.Read(dir.Path));
        Assert.Contains("frame_0001.png", e.Message);
    }

    [Fact]
    public void Zero_and_huge_target_sizes()
    {
        Assert.Contains("unsupported target size", ReadFails(TestMedia.City, new VideoReadOptions { Size = new(0, 64) }).Message);
        ReadFails(TestMedia.City, new VideoReadOptions { Size = new(64, 100_000) });
        Assert.Throws<UserInputException>(() => FrameSize.Parse("0x64"));
        Assert.Throws<UserInputException>(() => FrameSize.Parse("64by64"));
        Assert.Equal(new FrameSize(64, 48), FrameSize.Parse("64x48"));
        Assert.Equal(new FrameSize(32, 32), FrameSize.Parse("32"));
    }

    [Fact]
    public void Bad_range_options()
    {
        ReadFails(TestMedia.City, new VideoReadOptions { Start = -1 });
        ReadFails(TestMedia.City, new VideoReadOptions { Stride = 0 });
        ReadFails(TestMedia.City, new VideoReadOptions { FrameCount = 0 });
    }

    [Fact]
    public void Range_beyond_the_end_of_a_video()
    {
        Assert.Contains("beyond the end", ReadFails(TestMedia.City, new VideoReadOptions { Start = 32 }).Message);
        var e = ReadFails(TestMedia.City, new VideoReadOptions { Start = 10, Stride = 2, FrameCount = 12 });
        Assert.Contains("only 11 could be read", e.Message);
    }

    [Fact]
    public void Range_beyond_the_end_of_a_frame_folder()
    {
        var folder = TestMedia.Fixture("city_frames");
        Assert.Contains("beyond the end", ReadFails(folder, new VideoReadOptions { Start = 16 }).Message);
        Assert.Contains("only 8 exist", ReadFails(folder, new VideoReadOptions { Stride = 2, FrameCount = 9 }).Message);
    }

    [Fact]
    public void Timeout_kills_the_decoder_and_says_so()
    {
        var e = ReadFails(TestMedia.City, new VideoReadOptions { Timeout = TimeSpan.FromMilliseconds(1) });
        Assert.Contains("did not finish", e.Message);
    }
}
