namespace Decoupled.Video.Imaging;

/// <summary>Reads a folder of image frames (PNG, JPG, ...) in natural name order as a clip.</summary>
internal static class FrameFolderReader
{
    /// <summary>Frame files of a folder in natural order (frame2 before frame10); empty when it has none.</summary>
    public static string[] FrameFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => VideoReader.IsImageFile(f) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => Path.GetFileName(f), NaturalOrder.Instance)
            .ToArray();

    public static VideoInfo Probe(string folder, double fps)
    {
        var files = FrameFilesOrThrow(folder);
        var size = CommonSize(folder, files);
        return new VideoInfo(folder, size.Width, size.Height, files.Length, fps, files.Length / fps, "frames",
            Path.GetExtension(files[0]).TrimStart('.').ToLowerInvariant(), FrameCountIsExact: true);
    }

    public static VideoClip Read(string folder, VideoReadOptions options, CancellationToken cancellation)
    {
        var files = FrameFilesOrThrow(folder);
        // Only the frames read must share a size (each is checked below against the first of them):
        // checking every header of a long folder made a 10-frame window cost hundreds of reads.
        var reference = files[Math.Clamp(options.Start, 0, files.Length - 1)];
        var size = ValidSize(reference);

        int available = files.Length > options.Start ? (files.Length - options.Start + options.Stride - 1) / options.Stride : 0;
        if (available == 0)
            throw new UserInputException($"{folder}: start frame {options.Start} is beyond the end ({files.Length} frames)");
        int count = options.FrameCount ?? available;
        if (count > available)
            throw new UserInputException($"{folder}: asked for {count} frames from frame {options.Start} with stride {options.Stride}, but only {available} exist ({files.Length} frames)");
        long total = (long)count * size.Width * size.Height * VideoClip.Channels;
        if (total > Array.MaxLength)
            throw new UserInputException($"{folder}: {count} frames of {size} do not fit in one clip; read fewer frames or a smaller size");

        var pixels = new byte[total];
        int frameBytes = size.Width * size.Height * VideoClip.Channels;
        try
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellation }, t =>
            {
                var file = files[options.Start + t * options.Stride];
                var rgb = MagickFrames.ReadRgb(file, out var actual);
                if (actual != size)
                    throw SizeMismatch(folder, reference, size, file, actual);
                rgb.CopyTo(pixels.AsSpan(t * frameBytes, frameBytes));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<UserInputException>().FirstOrDefault() is { } first)
        {
            // Report one bad frame as one line, not a bundle of parallel failures.
            throw first;
        }
        var clip = new VideoClip(count, size.Height, size.Width, pixels, options.FolderFramesPerSecond);
        return options.Size is { } target ? FrameOps.Resize(clip, target, options.Resize) : clip;
    }

    static string[] FrameFilesOrThrow(string folder)
    {
        var files = FrameFiles(folder);
        if (files.Length == 0)
            throw new UserInputException($"{folder}: folder has no image frames ({string.Join(", ", VideoReader.FrameExtensions)})");
        return files;
    }

    /// <summary>All frames must share one size; headers are enough to check, so this stays cheap.</summary>
    static FrameSize CommonSize(string folder, string[] files)
    {
        var first = ValidSize(files[0]);
        foreach (var file in files.Skip(1))
        {
            var size = MagickFrames.ReadSize(file);
            if (size != first) throw SizeMismatch(folder, files[0], first, file, size);
        }
        return first;
    }

    static FrameSize ValidSize(string file)
    {
        var size = MagickFrames.ReadSize(file);
        if (!size.IsValid)
            throw new UserInputException($"{file}: unsupported image size {size}");
        return size;
    }

    static UserInputException SizeMismatch(string folder, string firstFile, FrameSize first, string file, FrameSize size) =>
        new($"{folder}: frames differ in size: {Path.GetFileName(file)} is {size} but {Path.GetFileName(firstFile)} is {first}");
}
