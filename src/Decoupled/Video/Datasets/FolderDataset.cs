using System.Collections.Concurrent;

namespace Decoupled.Video.Datasets;

/// <summary>
/// Videos on disk in the common research layout: one subfolder per class under a root, each
/// clip a video file or a folder of frames, and an optional caption file beside it.
/// <code>
/// root/
///   boxing/                       class 0 (class ids = class folder names in ordinal order)
///     person01_boxing_d1.avi      a clip (any file ffmpeg reads)
///     person01_boxing_d1.txt      its caption (optional; else the caption is "boxing")
///   handwaving/                   class 1
///     clip_0007/                  a clip as a folder of frames (natural order: 2.png before 10.png)
///     clip_0007.txt               its caption
/// </code>
/// Opening scans names only; frame counts are probed the first time a clip is sampled and
/// frames are decoded only by <see cref="Load"/>. Windows are <c>F</c> frames every <c>S</c>
/// source frames (<see cref="FolderDatasetOptions"/>). The train/test split is fixed by a hash of
/// each clip's group (<see cref="DatasetSplitter"/>); a group regex keeps e.g. all clips of one
/// person on one side. docs/datasets.md shows how BAIR, KTH, UCF101, MHAD and NATOPS map onto this.
/// </summary>
public sealed class FolderDataset
{
    readonly ConcurrentDictionary<string, int> _frameCounts = new();

    FolderDataset(string root, FolderDatasetOptions options, string[] classes, IReadOnlyList<FolderClip> clips)
    {
        Root = root;
        Options = options;
        ClassNames = classes;
        Clips = clips;
    }

    /// <summary>Scans <paramref name="root"/> (names only, no decoding) and keeps the clips of the chosen split.</summary>
    /// <exception cref="UserInputException">Missing root, no class folders, no clips, or invalid options.</exception>
    public static FolderDataset Open(string root, FolderDatasetOptions? options = null)
    {
        options ??= new FolderDatasetOptions();
        Check(root, options);
        var (classes, clips) = FolderScanner.Scan(root, options);
        var kept = options.Split == DatasetSplit.All ? clips : clips.Where(c => c.Split == options.Split).ToList();
        return new FolderDataset(Path.GetFullPath(root), options, classes, kept);
    }

    /// <summary>The dataset folder (full path).</summary>
    public string Root { get; }

    /// <summary>The options it was opened with.</summary>
    public FolderDatasetOptions Options { get; }

    /// <summary>All class names in id order, whatever the split (train and test share ids).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Clips of the chosen split, by class then natural name order.</summary>
    public IReadOnlyList<FolderClip> Clips { get; }

    /// <summary>Source frames one window spans: <c>(F - 1) * S + 1</c>.</summary>
    public int WindowSpan => (Options.FramesPerClip - 1) * Options.FrameStride + 1;

    /// <summary>Frames in a clip (probed on first use, then cached; thread-safe).</summary>
    public int FrameCountOf(FolderClip clip) =>
        _frameCounts.GetOrAdd(clip.Path, path => VideoReader.Probe(path, Options.FolderFramesPerSecond).FrameCount);

    /// <summary>Sequential windows that fit in a clip (0 when it is shorter than <see cref="WindowSpan"/>).</summary>
    public int WindowCountOf(FolderClip clip)
    {
        int lastStart = LastStartOf(clip);
        return lastStart < 0 ? 0 : lastStart / Hop + 1;
    }

    /// <summary>The latest frame a window can start at; negative when the clip is too short.</summary>
    int LastStartOf(FolderClip clip) => FrameCountOf(clip) - WindowSpan;

    int Hop => Options.Hop ?? WindowSpan;

    /// <summary>The windows <see cref="FolderDatasetOptions.Sampling"/> asks for: <see cref="RandomEpoch"/> or <see cref="SequentialWindows"/>.</summary>
    public IEnumerable<FolderDatasetItem> Items(int epoch = 0) =>
        Options.Sampling == ClipSampling.Random ? RandomEpoch(epoch) : SequentialWindows();

    /// <summary>
    /// Every window of every clip: starts 0, hop, 2*hop, ... while the window fits, clip by clip.
    /// Clips shorter than one window yield nothing.
    /// </summary>
    public IEnumerable<FolderDatasetItem> SequentialWindows()
    {
        foreach (var clip in Clips)
        {
            int windows = WindowCountOf(clip);
            for (int w = 0; w < windows; w++)
                yield return Window(clip, w * Hop);
        }
    }

    /// <summary>
    /// Each clip long enough for a window, once, in a shuffled order with a uniformly random start.
    /// The order and starts depend only on <see cref="FolderDatasetOptions.Seed"/> and <paramref name="epoch"/>.
    /// </summary>
    /// <exception cref="UserInputException">No clip of the split is long enough for one window.</exception>
    public IEnumerable<FolderDatasetItem> RandomEpoch(int epoch = 0)
    {
        // Not HashCode.Combine: that is randomised per process, and epochs must repeat across runs.
        var rng = new Random(unchecked(Options.Seed * 1_000_003 + epoch));
        var order = Enumerable.Range(0, Clips.Count).ToArray();
        rng.Shuffle(order);
        bool any = false;
        foreach (var i in order)
        {
            var clip = Clips[i];
            int lastStart = LastStartOf(clip);
            if (lastStart < 0) continue;
            any = true;
            yield return Window(clip, rng.Next(lastStart + 1));
        }
        if (!any) throw TooShort();
    }

    /// <summary>One random window: a uniformly chosen clip (among those long enough), a uniformly chosen start.</summary>
    /// <exception cref="UserInputException">No clip of the split is long enough for one window.</exception>
    public FolderDatasetItem Sample(Random random)
    {
        var tried = new HashSet<int>();
        while (tried.Count < Clips.Count)
        {
            int i = random.Next(Clips.Count);
            if (!tried.Add(i)) continue;
            int lastStart = LastStartOf(Clips[i]);
            if (lastStart >= 0) return Window(Clips[i], random.Next(lastStart + 1));
        }
        throw TooShort();
    }

    /// <summary>Decodes a window at <see cref="FolderDatasetOptions.Size"/>.</summary>
    public VideoClip Load(FolderDatasetItem item, CancellationToken cancellation = default) =>
        VideoReader.Read(item.Path, new VideoReadOptions
        {
            Start = item.StartFrame,
            FrameCount = item.FrameCount,
            Stride = item.FrameStride,
            Size = Options.Size,
            Resize = Options.Resize,
            FolderFramesPerSecond = Options.FolderFramesPerSecond,
        }, cancellation);

    FolderDatasetItem Window(FolderClip clip, int start) => new(clip, start, Options.FramesPerClip, Options.FrameStride);

    UserInputException TooShort() =>
        new($"{Root}: no clip in the {Options.Split.ToString().ToLowerInvariant()} split has the {WindowSpan} frames one window needs ({Options.FramesPerClip} frames, stride {Options.FrameStride})");

    static void Check(string root, FolderDatasetOptions o)
    {
        if (o.FramesPerClip < 1) throw new UserInputException($"{root}: frames per clip must be 1 or more, got {o.FramesPerClip}");
        if (o.FrameStride < 1) throw new UserInputException($"{root}: frame stride must be 1 or more, got {o.FrameStride}");
        if (o.Hop is < 1) throw new UserInputException($"{root}: hop must be 1 or more, got {o.Hop}");
        if (!(o.TestFraction is >= 0 and <= 1)) throw new UserInputException($"{root}: test fraction must be in 0..1, got {o.TestFraction}");
        if (o.Size is { IsValid: false } size) throw new UserInputException($"{root}: unsupported frame size {size}");
    }
}
