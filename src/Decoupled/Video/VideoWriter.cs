using Decoupled.IO;
using System.Globalization;
using System.Text.RegularExpressions;
using Decoupled.Video.Ffmpeg;
using Decoupled.Video.Imaging;

namespace Decoupled.Video;

/// <summary>
/// Writes clips as MP4 (H.264), lossless MKV (FFV1), animated GIF, a folder of PNG frames, or a
/// single PNG. Every write is atomic (temp file beside the target, then a rename) and creates the
/// target's folder; a failed write leaves any old file untouched and no temp file behind.
/// </summary>
public static partial class VideoWriter
{
    /// <summary>Default H.264 constant rate factor: visually near-lossless at small sizes.</summary>
    public const int DefaultCrf = 18;

    /// <summary>
    /// Writes by extension: <c>.mp4/.m4v/.mov</c> H.264, <c>.mkv</c> lossless FFV1, <c>.gif</c>,
    /// <c>.png</c> (one-frame clips only); a path without extension, or an existing folder, gets PNG frames.
    /// </summary>
    /// <exception cref="UserInputException">Unsupported extension, or the file cannot be written.</exception>
    public static void Write(VideoClip clip, string path, CancellationToken cancellation = default)
    {
        CheckRate(clip, path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (Directory.Exists(path) || ext.Length == 0)
        {
            WritePngFrames(clip, path);
            return;
        }
        switch (ext)
        {
            case ".mp4" or ".m4v" or ".mov": WriteMp4(clip, path, DefaultCrf, cancellation); break;
            case ".mkv": WriteLosslessMkv(clip, path, cancellation); break;
            case ".gif": WriteGif(clip, path); break;
            case ".png" when clip.Frames == 1: WritePng(clip, 0, path); break;
            case ".png": throw new UserInputException($"{path}: a PNG holds one frame but the clip has {clip.Frames}; give a folder name to write PNG frames");
            default: throw new UserInputException($"{path}: cannot write '{ext}' videos; use .mp4, .mkv, .gif, .png or a folder");
        }
    }

    /// <summary>
    /// H.264 MP4 (libx264, yuv420p, faststart) at the clip's frame rate. Odd widths or heights are
    /// padded with one black column/row because 4:2:0 chroma needs even sizes.
    /// </summary>
    /// <param name="clip">The frames.</param>
    /// <param name="path">Target file.</param>
    /// <param name="crf">x264 quality, 0 (best) .. 51; 18 is near-lossless to the eye.</param>
    /// <param name="cancellation">Stops encoding; ffmpeg is killed and nothing is written.</param>
    public static void WriteMp4(VideoClip clip, string path, int crf = DefaultCrf, CancellationToken cancellation = default)
    {
        CheckRate(clip, path);
        if (crf is < 0 or > 51) throw new UserInputException($"{path}: H.264 quality (crf) must be 0..51, got {crf}");
        AtomicFile.Write(path, temp => FfmpegEncoder.WriteH264(clip, path, temp, crf, cancellation));
    }

    /// <summary>FFV1 in Matroska: lossless, so reading it back gives the exact bytes.</summary>
    public static void WriteLosslessMkv(VideoClip clip, string path, CancellationToken cancellation = default)
    {
        CheckRate(clip, path);
        AtomicFile.Write(path, temp => FfmpegEncoder.WriteLossless(clip, path, temp, cancellation));
    }

    /// <summary>
    /// Animated GIF that loops forever, frame delay from the clip's frame rate (GIF counts in
    /// hundredths of a second, at least 2). Each frame gets its own 256-colour palette, no dithering.
    /// </summary>
    public static void WriteGif(VideoClip clip, string path)
    {
        CheckRate(clip, path);
        AtomicFile.Write(path, temp => GifEncoder.Write(clip, temp));
    }

    /// <summary>Frame <paramref name="frame"/> of the clip as a PNG image.</summary>
    public static void WritePng(VideoClip clip, int frame, string path)
    {
        if ((uint)frame >= (uint)clip.Frames)
            throw new ArgumentOutOfRangeException(nameof(frame), $"frame {frame} of a {clip.Frames}-frame clip");
        var rgb = clip.Frame(frame).ToArray();
        AtomicFile.Write(path, temp => PngEncoder.Write(rgb, clip.Width, clip.Height, temp));
    }

    /// <summary>One packed RGB image (<c>[H, W, 3]</c>) as a PNG.</summary>
    public static void WritePng(ReadOnlySpan<byte> rgb, FrameSize size, string path)
    {
        if (rgb.Length != size.Width * size.Height * VideoClip.Channels)
            throw new ArgumentException($"{rgb.Length} bytes is not a {size} RGB image", nameof(rgb));
        var copy = rgb.ToArray();
        AtomicFile.Write(path, temp => PngEncoder.Write(copy, size.Width, size.Height, temp));
    }

    /// <summary>The file name of frame <paramref name="index"/> in a PNG frame folder: <c>frame_0000.png</c>, ...</summary>
    public static string FrameFileName(int index) => $"frame_{index.ToString("D4", CultureInfo.InvariantCulture)}.png";

    /// <summary>
    /// Every frame as <c>frame_0000.png</c>, <c>frame_0001.png</c>, ... in <paramref name="folder"/>
    /// (created if needed). All frames are written to temp files first and renamed only when all
    /// succeeded; stale <c>frame_NNNN.png</c> files from an earlier, longer clip are removed.
    /// </summary>
    public static void WritePngFrames(VideoClip clip, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{folder}: cannot create folder ({e.Message})", e);
        }

        var targets = Enumerable.Range(0, clip.Frames).Select(t => Path.GetFullPath(Path.Combine(folder, FrameFileName(t)))).ToArray();
        var temps = targets.Select(AtomicFile.TempPathFor).ToArray();
        try
        {
            Parallel.For(0, clip.Frames, t => PngEncoder.Write(clip.Frame(t).ToArray(), clip.Width, clip.Height, temps[t]));
            for (int t = 0; t < clip.Frames; t++) File.Move(temps[t], targets[t], overwrite: true);
        }
        catch (Exception e)
        {
            foreach (var temp in temps) AtomicFile.DeleteQuietly(temp);
            if (e is IOException or UnauthorizedAccessException or AggregateException)
                throw new UserInputException($"{folder}: cannot write PNG frames ({(e is AggregateException a ? a.InnerExceptions[0].Message : e.Message)})", e);
            throw;
        }

        foreach (var stale in Directory.EnumerateFiles(folder, "frame_*.png"))
            if (FrameNumber().Match(Path.GetFileName(stale)) is { Success: true } m &&
                int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) >= clip.Frames)
                AtomicFile.DeleteQuietly(stale);
    }

    static void CheckRate(VideoClip clip, string path)
    {
        if (!double.IsFinite(clip.FramesPerSecond) || clip.FramesPerSecond <= 0 || clip.FramesPerSecond > 1000)
            throw new UserInputException($"{path}: frame rate must be in (0, 1000], got {clip.FramesPerSecond}");
    }

    [GeneratedRegex(@"^frame_(\d{4,9})\.png$")]
    private static partial Regex FrameNumber();
}
