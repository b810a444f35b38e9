using Decoupled.Pipelines.Data;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Cli.Commands;

/// <summary>The clips <c>predict</c> works on: one video, every video of a folder, or held-out shapes clips.</summary>
internal static class PredictionInputs
{
    /// <summary>
    /// Named clips of up to <paramref name="context"/> + <paramref name="frames"/> frames at
    /// <paramref name="size"/>x<paramref name="size"/>; each has at least the context frames.
    /// </summary>
    /// <param name="input">A video or frame folder, a folder of videos, or "shapes".</param>
    /// <param name="context">Given frames.</param>
    /// <param name="frames">Frames to predict.</param>
    /// <param name="size">Frame side.</param>
    /// <param name="count">Shapes clips to draw.</param>
    /// <param name="windows">For a single video: consecutive non-overlapping windows of context + frames to cut from it.</param>
    /// <param name="seed">Seed of the shapes clips.</param>
    public static List<(string Name, VideoClip Clip)> Open(string input, int context, int frames, int size, int count, int windows, long seed)
    {
        if (input == "shapes")
        {
            var source = new ShapesClipSource(context + frames, size, size, seed, ShapesSplit.Test);
            return Enumerable.Range(0, count).Select(i => ($"shapes_{i:D4}", source.Draw(i / 8, i % 8).Clip)).ToList();
        }
        if (Directory.Exists(input) && !VideoReader.IsFrameFolder(input))
        {
            var files = Directory.EnumerateFiles(input).Where(VideoReader.IsVideoFile).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new UserInputException($"--input {input}: the folder holds no video files");
            return files.Select(f => (Path.GetFileNameWithoutExtension(f), Read(f, context, frames, size))).ToList();
        }
        string name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(input));
        if (windows == 1) return [(name, Read(input, context, frames, size))];
        var info = VideoReader.Probe(input);
        int length = context + frames;
        if (info.FrameCount < windows * length)
            throw new UserInputException($"{input}: has {info.FrameCount} frames, fewer than {windows} windows of {length}");
        return Enumerable.Range(0, windows).Select(w => ($"{name}_{w:D3}",
            VideoReader.Read(input, new VideoReadOptions { Start = w * length, FrameCount = length, Size = new FrameSize(size, size) }))).ToList();
    }

    private static VideoClip Read(string path, int context, int frames, int size)
    {
        var info = VideoReader.Probe(path);
        if (info.FrameCount < context) throw new UserInputException($"{path}: has {info.FrameCount} frames, fewer than the {context} given frames");
        return VideoReader.Read(path, new VideoReadOptions { FrameCount = Math.Min(info.FrameCount, context + frames), Size = new FrameSize(size, size) });
    }
}
