using Decoupled.Video;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>A generated clip read from disk, with its path relative to the folder (the name pairs it with a real clip).</summary>
/// <param name="Name">Path relative to the folder, '/'-separated, without extension.</param>
/// <param name="Clip">Its first frames at the evaluation size.</param>
public sealed record NamedClip(string Name, VideoClip Clip);

/// <summary>
/// Generated videos to score, read from a folder: every video file and every folder of frames under it
/// (at any depth), in natural order of their relative paths, so <c>0002.gif</c> comes before <c>0010.gif</c>
/// and the files that <c>evaluate --videos</c> writes line up with the evaluation set they came from.
/// </summary>
public static class FakeClipFolder
{
    /// <summary>
    /// The first <paramref name="frames"/> frames of each clip (at most <paramref name="limit"/> clips), all at
    /// <paramref name="size"/>, or at the first clip's size when it is null (cover-crop resize, as the datasets).
    /// </summary>
    /// <exception cref="UserInputException">No such folder, no clips in it, or a clip shorter than <paramref name="frames"/> or unreadable.</exception>
    public static IReadOnlyList<NamedClip> Load(string folder, int frames, FrameSize? size = null, int? limit = null, CancellationToken cancellation = default)
    {
        if (!Directory.Exists(folder)) throw new UserInputException($"--fake {folder}: no such folder");
        if (frames < 1) throw new UserInputException($"--frames must be at least 1, got {frames}");
        var paths = Find(folder).OrderBy(p => Relative(folder, p), NaturalOrder.Instance).ToList();
        if (paths.Count == 0) throw new UserInputException($"--fake {folder}: no video files or frame folders in it");
        if (limit is { } n) paths = paths.Take(n).ToList();
        var clips = new List<NamedClip>(paths.Count);
        foreach (var path in paths)
        {
            cancellation.ThrowIfCancellationRequested();
            var clip = VideoReader.Read(path, new VideoReadOptions { FrameCount = frames, Size = size }, cancellation);
            size ??= new FrameSize(clip.Width, clip.Height);
            clips.Add(new NamedClip(Relative(folder, path), clip));
        }
        return clips;
    }

    // A frame folder is one clip: its images are not clips of their own, and nothing below it is searched.
    private static IEnumerable<string> Find(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            if (VideoReader.IsVideoFile(file) && !Path.GetFileName(file).StartsWith('.')) yield return file;
        foreach (var dir in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(dir).StartsWith('.')) continue;
            if (VideoReader.IsFrameFolder(dir)) yield return dir;
            else foreach (var inner in Find(dir)) yield return inner;
        }
    }

    private static string Relative(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
        return Directory.Exists(path) ? relative : Path.ChangeExtension(relative, null);
    }
}
