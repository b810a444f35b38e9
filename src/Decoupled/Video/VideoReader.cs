using Decoupled.Video.Ffmpeg;
using Decoupled.Video.Imaging;

namespace Decoupled.Video;

/// <summary>
/// Reads clips from anything ffmpeg decodes (mp4, avi, mpg, webm, mkv, mov, gif, ...), from a
/// folder of PNG/JPG frames (natural name order: frame2 before frame10), or from one still
/// image (a one-frame clip). Every problem with the input is a <see cref="UserInputException"/>
/// whose one-line message names the file.
/// </summary>
/// <remarks>
/// Video files go through ffprobe (metadata) and ffmpeg (frames piped as raw rgb24; frame
/// selection, scaling and cropping happen inside ffmpeg). ffmpeg and ffprobe must be on PATH.
/// Frame folders and images are decoded with ImageMagick and resized with <see cref="FrameOps"/>.
/// </remarks>
public static class VideoReader
{
    /// <summary>File extensions treated as videos when scanning folders (any file ffmpeg reads can still be passed to <see cref="Read"/>).</summary>
    public static IReadOnlyList<string> VideoExtensions { get; } =
        [".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ogv", ".gif", ".3gp"];

    /// <summary>File extensions read as frames of a frame folder, or as a one-frame clip on their own.</summary>
    public static IReadOnlyList<string> FrameExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"];

    /// <summary>True when the name ends with one of <see cref="VideoExtensions"/>.</summary>
    public static bool IsVideoFile(string path) => HasExtension(path, VideoExtensions);

    /// <summary>True when the name ends with one of <see cref="FrameExtensions"/>.</summary>
    public static bool IsImageFile(string path) => HasExtension(path, FrameExtensions);

    /// <summary>True when <paramref name="path"/> is a folder that directly holds at least one image frame.</summary>
    public static bool IsFrameFolder(string path) =>
        Directory.Exists(path) && Directory.EnumerateFiles(path).Any(f => IsImageFile(f) && !Path.GetFileName(f).StartsWith('.'));

    /// <summary>Size, frame count, frame rate and codec of a video file, image or frame folder, without decoding frames.</summary>
    /// <param name="path">A video file, an image, or a folder of frames.</param>
    /// <param name="folderFramesPerSecond">Frame rate reported for frame folders and images, which carry none.</param>
    /// <param name="cancellation">Stops the probe (ffprobe is killed).</param>
    /// <exception cref="UserInputException">Missing, empty, unreadable or non-video input.</exception>
    public static VideoInfo Probe(string path, double folderFramesPerSecond = 25, CancellationToken cancellation = default)
    {
        if (Directory.Exists(path)) return FrameFolderReader.Probe(path, folderFramesPerSecond);
        CheckFile(path);
        if (IsImageFile(path))
        {
            var size = MagickFrames.ReadSize(path);
            return new VideoInfo(path, size.Width, size.Height, 1, folderFramesPerSecond, 1 / folderFramesPerSecond, "image",
                Path.GetExtension(path).TrimStart('.').ToLowerInvariant(), FrameCountIsExact: true);
        }
        return VideoProbe.Probe(path, VideoProbe.DefaultTimeout, cancellation);
    }

    /// <summary>Reads the frames that <paramref name="options"/> selects as a clip, at the source's frame rate.</summary>
    /// <param name="path">A video file, an image, or a folder of frames.</param>
    /// <param name="options">Frame range, stride and size; null reads every frame at the source size.</param>
    /// <param name="cancellation">Stops decoding (ffmpeg is killed) and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="UserInputException">
    /// Missing, empty, damaged or non-video input; a folder without images or with frames of
    /// different sizes; a range past the end; invalid options.
    /// </exception>
    public static VideoClip Read(string path, VideoReadOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= VideoReadOptions.All;
        CheckOptions(path, options);
        if (Directory.Exists(path)) return FrameFolderReader.Read(path, options, cancellation);
        CheckFile(path);
        if (IsImageFile(path)) return ReadImage(path, options);
        var info = VideoProbe.Probe(path, options.Timeout < VideoProbe.DefaultTimeout ? options.Timeout : VideoProbe.DefaultTimeout, cancellation);
        return FfmpegDecoder.Decode(path, info, options, cancellation);
    }

    static VideoClip ReadImage(string path, VideoReadOptions options)
    {
        if (options.Start > 0 || options.FrameCount > 1)
            throw new UserInputException($"{path}: is a single image; it has only frame 0");
        var rgb = MagickFrames.ReadRgb(path, out var size);
        var clip = new VideoClip(1, size.Height, size.Width, rgb, options.FolderFramesPerSecond);
        return options.Size is { } target ? FrameOps.Resize(clip, target, options.Resize) : clip;
    }

    static void CheckFile(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new UserInputException($"{path}: no such file or folder");
        if (file.Length == 0) throw new UserInputException($"{path}: file is empty (0 bytes)");
    }

    static void CheckOptions(string path, VideoReadOptions options)
    {
        if (options.Start < 0) throw new UserInputException($"{path}: start frame must be 0 or more, got {options.Start}");
        if (options.Stride < 1) throw new UserInputException($"{path}: frame stride must be 1 or more, got {options.Stride}");
        if (options.FrameCount is < 1) throw new UserInputException($"{path}: frame count must be 1 or more, got {options.FrameCount}");
        if (options.Size is { IsValid: false } size)
            throw new UserInputException($"{path}: unsupported target size {size} (sides must be 1..{FrameSize.MaxSide})");
        if (!(options.FolderFramesPerSecond > 0) || !double.IsFinite(options.FolderFramesPerSecond))
            throw new UserInputException($"{path}: frame rate must be positive, got {options.FolderFramesPerSecond}");
        if (options.Timeout <= TimeSpan.Zero) throw new UserInputException($"{path}: timeout must be positive");
    }

    static bool HasExtension(string path, IReadOnlyList<string> extensions)
    {
        var ext = Path.GetExtension(path);
        foreach (var e in extensions)
            if (string.Equals(ext, e, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
