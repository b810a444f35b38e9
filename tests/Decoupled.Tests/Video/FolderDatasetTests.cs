using Decoupled.Video;
using Decoupled.Video.Datasets;

namespace Decoupled.Tests.Video;

public class FolderDatasetTests : IClassFixture<FolderDatasetTests.SmallDataset>
{
    /// <summary>
    /// alpha/a1.mkv (20 frames, caption file), alpha/a2/ (12 PNG frames, no caption),
    /// beta/person01_x.mkv (10), beta/person02_x.mkv (30), beta/short.mkv (3), empty_class/,
    /// plus files that are not clips. Every frame's red channel encodes its index.
    /// </summary>
    public sealed class SmallDataset : IDisposable
    {
        readonly TempDir _dir = new();

        public SmallDataset()
        {
            Directory.CreateDirectory(Path.Combine(Root, "empty_class"));
            Directory.CreateDirectory(Path.Combine(Root, ".hidden"));
            VideoWriter.WriteLosslessMkv(TestMedia.Indexed(20, 16, 8), Path.Combine(Root, "alpha", "a1.mkv"));
            File.WriteAllText(Path.Combine(Root, "alpha", "a1.txt"), "  a red square\n moves left \n");
            VideoWriter.WritePngFrames(TestMedia.Indexed(12, 16, 8), Path.Combine(Root, "alpha", "a2"));
            VideoWriter.WriteLosslessMkv(TestMedia.Indexed(10, 16, 8), Path.Combine(Root, "beta", "person01_x.mkv"));
            VideoWriter.WriteLosslessMkv(TestMedia.Indexed(30, 16, 8), Path.Combine(Root, "beta", "person02_x.mkv"));
            VideoWriter.WriteLosslessMkv(TestMedia.Indexed(3, 16, 8), Path.Combine(Root, "beta", "short.mkv"));
            File.WriteAllText(Path.Combine(Root, "beta", "notes.md"), "not a clip");
            VideoWriter.WritePng(TestMedia.Indexed(1, 4, 4), 0, Path.Combine(Root, "beta", "loose.png"));
        }

        public string Root => _dir.Path;

        public void Dispose() => _dir.Dispose();
    }

    readonly string _root;

    public FolderDatasetTests(SmallDataset data) => _root = data.Root;

    FolderDataset Open(int frames = 4, int stride = 2, int? hop = null, int seed = 1) =>
        FolderDataset.Open(_root, new FolderDatasetOptions { FramesPerClip = frames, FrameStride = stride, Hop = hop, Seed = seed });

    [Fact]
    public void Classes_clips_and_captions()
    {
        var ds = Open();
        Assert.Equal(["alpha", "beta", "empty_class"], ds.ClassNames);
        Assert.Equal(["alpha/a1.mkv", "alpha/a2", "beta/person01_x.mkv", "beta/person02_x.mkv", "beta/short.mkv"],
            ds.Clips.Select(c => c.RelativePath));
        Assert.Equal([0, 0, 1, 1, 1], ds.Clips.Select(c => c.ClassId));
        Assert.Equal("a red square moves left", ds.Clips[0].Caption);
        Assert.True(ds.Clips[0].HasCaptionFile);
        Assert.Equal("alpha", ds.Clips[1].Caption);
        Assert.False(ds.Clips[1].HasCaptionFile);
        Assert.True(ds.Clips[1].IsFrameFolder);
        Assert.False(ds.Clips[0].IsFrameFolder);
    }

    [Fact]
    public void Frame_counts_are_probed_lazily_per_clip()
    {
        var ds = Open();
        Assert.Equal([20, 12, 10, 30, 3], ds.Clips.Select(ds.FrameCountOf));
    }

    [Fact]
    public void Sequential_windows_are_non_overlapping_by_default()
    {
        var ds = Open(frames: 4, stride: 2);
        Assert.Equal(7, ds.WindowSpan);
        var windows = ds.SequentialWindows().Select(w => (w.Clip.RelativePath, w.StartFrame)).ToArray();
        Assert.Equal(
        [
            ("alpha/a1.mkv", 0), ("alpha/a1.mkv", 7), ("alpha/a2", 0), ("beta/person01_x.mkv", 0),
            ("beta/person02_x.mkv", 0), ("beta/person02_x.mkv", 7), ("beta/person02_x.mkv", 14), ("beta/person02_x.mkv", 21),
        ], windows);
    }

    [Fact]
    public void Sequential_windows_follow_a_configured_hop()
    {
        var ds = Open(frames: 4, stride: 2, hop: 1);
        Assert.Equal(20 - 7 + 1, ds.SequentialWindows().Count(w => w.Clip.RelativePath == "alpha/a1.mkv"));
        Assert.Equal(6, ds.WindowCountOf(ds.Clips[1])); // 12 frames: starts 0..5
    }

    [Fact]
    public void Loaded_windows_hold_the_right_frames_at_the_right_size()
    {
        var ds = FolderDataset.Open(_root, new FolderDatasetOptions { FramesPerClip = 3, FrameStride = 3, Size = new FrameSize(8, 8), Sampling = ClipSampling.Sequential });
        foreach (var item in ds.Items().Where(i => i.Clip.RelativePath is "alpha/a2" or "beta/person02_x.mkv"))
        {
            var clip = ds.Load(item);
            Assert.Equal((3, 8, 8), (clip.Frames, clip.Height, clip.Width));
            Assert.Equal([item.StartFrame, item.StartFrame + 3, item.StartFrame + 6], Enumerable.Range(0, 3).Select(t => TestMedia.IndexOf(clip, t)));
        }
    }

    [Fact]
    public void Random_epochs_are_seeded_cover_each_long_clip_once_and_stay_in_range()
    {
        var a = Open(seed: 5).RandomEpoch(0).ToArray();
        var again = Open(seed: 5).RandomEpoch(0).ToArray();
        Assert.Equal(a, again);
        // short.mkv (3 frames) cannot hold a 7-frame window.
        Assert.Equal(["alpha/a1.mkv", "alpha/a2", "beta/person01_x.mkv", "beta/person02_x.mkv"], a.Select(i => i.Clip.RelativePath).Order());
        var ds = Open(seed: 5);
        Assert.All(a, i => Assert.InRange(i.LastFrame, 0, ds.FrameCountOf(i.Clip) - 1));

        var epochs = Enumerable.Range(0, 6).Select(e => string.Join(";", ds.RandomEpoch(e))).Distinct().Count();
        Assert.True(epochs > 1, "different epochs should shuffle differently");
    }

    [Fact]
    public void Random_samples_spread_over_starts_and_stay_inside_their_clip()
    {
        var ds = Open(frames: 2, stride: 1);
        var rng = new Random(3);
        var samples = Enumerable.Range(0, 400).Select(_ => ds.Sample(rng)).ToArray();
        Assert.Equal(5, samples.Select(s => s.Clip).Distinct().Count());
        var starts = samples.Where(s => s.Clip.RelativePath == "beta/person02_x.mkv").Select(s => s.StartFrame).ToHashSet();
        Assert.True(starts.Count > 15, $"{starts.Count} distinct starts");
        Assert.All(samples, s => Assert.InRange(s.LastFrame, 0, ds.FrameCountOf(s.Clip) - 1));
    }

    [Fact]
    public void Windows_longer_than_every_clip_are_a_user_error()
    {
        var ds = Open(frames: 40, stride: 1);
        Assert.Empty(ds.SequentialWindows());
        Assert.Contains("40 frames", Assert.Throws<UserInputException>(() => ds.Sample(new Random(1))).Message);
        Assert.Throws<UserInputException>(() => ds.RandomEpoch().ToArray());
    }

    [Fact]
    public void Layout_errors_name_the_folder()
    {
        using var dir = new TempDir();
        Assert.Contains("no such", Assert.Throws<UserInputException>(() => FolderDataset.Open(dir.File("missing"))).Message);
        File.WriteAllText(dir.File("loose.mp4"), "x");
        Assert.Contains("no class folders", Assert.Throws<UserInputException>(() => FolderDataset.Open(dir.Path)).Message);
        Directory.CreateDirectory(dir.File("cls"));
        Assert.Contains("no clips", Assert.Throws<UserInputException>(() => FolderDataset.Open(dir.Path)).Message);
        Assert.Contains("not a valid regular expression",
            Assert.Throws<UserInputException>(() => FolderDataset.Open(_root, new FolderDatasetOptions { GroupPattern = "person(" })).Message);
        Assert.Throws<UserInputException>(() => FolderDataset.Open(_root, new FolderDatasetOptions { FramesPerClip = 0 }));
        Assert.Throws<UserInputException>(() => FolderDataset.Open(_root, new FolderDatasetOptions { TestFraction = 1.5 }));
    }
}
