using Decoupled.Pipelines.Data;
using Decoupled.Video;
using Decoupled.Video.Datasets;

namespace Decoupled.Pipelines.Evaluation;

/// <summary>
/// Pairs generated clips with the real clips of a folder dataset by name: a generated
/// <c>walk/person01.mp4</c> (or <c>person01.gif</c>) is scored against the real
/// <c>walk/person01.*</c> (or the only real clip named <c>person01</c>), from its first frame.
/// This is what paired metrics (PSNR, SSIM, LPIPS) need when the generated files are named after
/// their sources rather than numbered in the evaluation set's order.
/// </summary>
public static class NamePairing
{
    /// <summary>
    /// The real clip of each of <paramref name="fakes"/>, at the fake clips' length and size; null when
    /// some fake name matches no real clip (or several by file name alone), with the first such name in
    /// <paramref name="unmatched"/>.
    /// </summary>
    public static IReadOnlyList<LabeledClip>? TryPair(string realFolder, IReadOnlyList<NamedClip> fakes, out string? unmatched, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(fakes);
        unmatched = null;
        if (fakes.Count == 0) return [];
        var first = fakes[0].Clip;
        var dataset = FolderDataset.Open(realFolder, new FolderDatasetOptions { FramesPerClip = first.Frames, Size = new FrameSize(first.Width, first.Height) });
        var byPath = dataset.Clips.ToDictionary(Key, StringComparer.Ordinal);
        var byStem = dataset.Clips.GroupBy(c => Path.GetFileName(Key(c)), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var matches = new List<FolderClip>(fakes.Count);
        foreach (var fake in fakes)
        {
            if (byPath.TryGetValue(fake.Name, out var exact)) matches.Add(exact);
            else if (byStem.TryGetValue(Path.GetFileName(fake.Name), out var same) && same.Count == 1) matches.Add(same[0]);
            else
            {
                unmatched = fake.Name;
                return null;
            }
        }
        var pairs = new List<LabeledClip>(matches.Count);
        foreach (var clip in matches)
        {
            if (dataset.FrameCountOf(clip) < first.Frames)
                throw new UserInputException($"{clip.Path}: has {dataset.FrameCountOf(clip)} frames, fewer than the {first.Frames} of the generated clips");
            var video = dataset.Load(new FolderDatasetItem(clip, 0, first.Frames, 1), cancellation);
            pairs.Add(new LabeledClip(video, clip.ClassId, clip.Caption));
        }
        return pairs;
    }

    // The name a generated clip would carry: the relative path without the video file's extension
    // (a frame folder's name is kept whole, as FakeClipFolder does).
    private static string Key(FolderClip clip)
    {
        var path = clip.RelativePath.TrimEnd('/');
        return clip.IsFrameFolder ? path : Path.ChangeExtension(path, null);
    }
}
