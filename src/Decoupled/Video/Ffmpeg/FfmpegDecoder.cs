using System.Globalization;

namespace Decoupled.Video.Ffmpeg;

/// <summary>Decodes a video file into a <see cref="VideoClip"/> by piping raw rgb24 frames out of ffmpeg.</summary>
internal static class FfmpegDecoder
{
    public static VideoClip Decode(string path, VideoInfo info, VideoReadOptions options, CancellationToken cancellation)
    {
        var fullPath = Path.GetFullPath(path);
        var source = new FrameSize(info.Width, info.Height);
        var output = options.Size ?? source;
        int frameBytes = output.Width * output.Height * VideoClip.Channels;

        // What is left after Start at this stride, as far as the container tells.
        int available = info.FrameCount > options.Start ? (info.FrameCount - options.Start + options.Stride - 1) / options.Stride : 0;
        if (info.FrameCountIsExact && available == 0)
            throw new UserInputException($"{path}: start frame {options.Start} is beyond the end of the video ({info.FrameCount} frames)");
        int wanted = options.FrameCount ?? available;
        int maxFrames = Array.MaxLength / frameBytes;
        if (Math.Max(wanted, 1) > maxFrames)
            throw new UserInputException($"{path}: {wanted} frames of {output} do not fit in one clip (at most {maxFrames}); read fewer frames or a smaller size");

        var args = new List<string>
        {
            "-nostdin", "-hide_banner", "-v", "error",
            "-i", "file:" + fullPath,
            "-map", "0:V:0", "-an", "-sn", "-dn",
            "-vf", FilterGraph.For(options, source, output),
            // Passthrough: one output frame per selected input frame, never duplicated or dropped to fit a rate.
            "-vsync", "0",
        };
        // Reading to the end must go past an estimated count; an exact request stops ffmpeg early.
        if (options.FrameCount is { } count) args.AddRange(["-frames:v", count.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);

        var buffer = new FrameBuffer(frameBytes, Math.Clamp(wanted, 1, maxFrames), maxFrames);
        int exitCode;
        IReadOnlyList<string> errors;
        using (var run = ToolProcess.Start("ffmpeg", args, path, writeInput: false, options.Timeout, cancellation))
        {
            try
            {
                while (buffer.ReadFrame(run.Output)) { }
            }
            catch (IOException) when (run.Cancelled)
            {
                // The pipe broke because we killed ffmpeg; reported below.
            }
            catch (FrameBuffer.FullException)
            {
                throw new UserInputException($"{path}: more than {maxFrames} frames of {output} do not fit in one clip; read fewer frames or a smaller size");
            }
            exitCode = run.WaitForExit();
            errors = run.ErrorLines;
            cancellation.ThrowIfCancellationRequested();
            if (run.Cancelled)
                throw new UserInputException($"{path}: decoding did not finish within {options.Timeout.TotalSeconds:0.###} s; ffmpeg was stopped");
        }

        int got = buffer.Frames;
        bool damaged = exitCode != 0 || errors.Count > 0;
        var cause = ToolMessages.Suffix(errors, fullPath);
        if (got == 0)
        {
            if (damaged) throw new UserInputException($"{path}: no frame could be decoded{cause}");
            throw new UserInputException($"{path}: start frame {options.Start} is beyond the end of the video ({info.FrameCount} frames)");
        }
        if (options.FrameCount is { } asked && got < asked)
            throw new UserInputException(
                $"{path}: asked for {asked} frames from frame {options.Start} with stride {options.Stride}, but only {got} could be read" +
                (damaged ? $"; the file looks damaged{cause}" : $" (the video has {info.FrameCount} frames)"));
        // Reading to the end: fewer frames than the container promised, with decoder errors, is a cut-off file.
        if (options.FrameCount is null && damaged && got < available)
            throw new UserInputException($"{path}: truncated or damaged: only {got} of {available} frames could be decoded{cause}");

        return new VideoClip(got, output.Height, output.Width, buffer.ToArray(), info.FramesPerSecond);
    }
}
