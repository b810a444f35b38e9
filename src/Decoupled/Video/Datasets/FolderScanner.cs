using System.Text.RegularExpressions;

namespace Decoupled.Video.Datasets;

/// <summary>Finds the class folders, clips and captions under a dataset root without decoding anything.</summary>
internal static class FolderScanner
{
    public static (string[] Classes, List<FolderClip> Clips) Scan(string root, FolderDatasetOptions options)
    {
        if (!Directory.Exists(root))
            throw new UserInputException(File.Exists(root)
                ? $"{root}: is a file; a folder dataset is a folder with one subfolder per class"
                : $"{root}: no such dataset folder");

        // Ordinal order: class ids must not depend on the machine's culture.
        var classes = Directory.EnumerateDirectories(root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (classes.Length == 0)
            throw new UserInputException($"{root}: no class folders; put clips in {Path.Combine(root, "CLASS", "clip.mp4")} or {Path.Combine(root, "CLASS", "clip", "frame1.png")}");

        var pattern = GroupRegex(root, options.GroupPattern);
        var clips = new List<FolderClip>();
        for (int id = 0; id < classes.Length; id++)
        {
            var folder = Path.Combine(root, classes[id]);
            foreach (var (path, isFolder) in ClipsIn(folder))
            {
                var relative = classes[id] + "/" + Path.GetFileName(path);
                var caption = ReadCaption(path, isFolder);
                var group = DatasetSplitter.GroupOf(relative, pattern);
                var split = DatasetSplitter.SplitOf(group, options.TestFraction, options.TestGroups);
                clips.Add(new FolderClip(Path.GetFullPath(path), relative, id, classes[id], caption ?? classes[id],
                    caption is not null, group, split, isFolder));
            }
        }
        if (clips.Count == 0)
            throw new UserInputException($"{root}: the class folders hold no clips (video files such as .mp4/.avi, or folders of PNG/JPG frames)");
        return (classes, clips);
    }

    /// <summary>Video files and frame folders directly inside a class folder, in natural name order.</summary>
    static IEnumerable<(string Path, bool IsFolder)> ClipsIn(string classFolder)
    {
        var videos = Directory.EnumerateFiles(classFolder).Where(VideoReader.IsVideoFile).Select(p => (p, false));
        var frameFolders = Directory.EnumerateDirectories(classFolder).Where(VideoReader.IsFrameFolder).Select(p => (p, true));
        return videos.Concat(frameFolders)
            .Where(c => !Path.GetFileName(c.p).StartsWith('.'))
            .OrderBy(c => Path.GetFileName(c.p), NaturalOrder.Instance);
    }

    /// <summary>The caption file of a clip: <c>a.mp4</c> → <c>a.txt</c>, frame folder <c>a/</c> → <c>a.txt</c>.</summary>
    static string? ReadCaption(string clipPath, bool isFolder)
    {
        var captionPath = isFolder
            ? clipPath.TrimEnd(Path.DirectorySeparatorChar) + ".txt"
            : Path.ChangeExtension(clipPath, ".txt");
        if (!File.Exists(captionPath)) return null;
        string text;
        try
        {
            text = File.ReadAllText(captionPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{captionPath}: cannot read caption ({e.Message})", e);
        }
        var caption = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return caption.Length > 0 ? caption : null;
    }

    static Regex? GroupRegex(string root, string? pattern)
    {
        if (pattern is null) return null;
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"{root}: group pattern '{pattern}' is not a valid regular expression ({e.Message})", e);
        }
    }
}
