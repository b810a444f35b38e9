using System.Globalization;

namespace Decoupled.Video.Ffmpeg;

/// <summary>Encodes a clip by piping raw rgb24 frames into ffmpeg's stdin.</summary>
internal static class FfmpegEncoder
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>H.264 (libx264, yuv420p) in MP4; odd sizes are padded with black to even ones, as 4:2:0 needs.</summary>
    public static void WriteH264(VideoClip clip, string target, string temp, int crf, CancellationToken cancellation) =>
        Encode(clip, target, temp, cancellation,
            "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-c:v", "libx264", "-preset", "medium", "-crf", crf.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4");

    /// <summary>FFV1 in Matroska: lossless RGB, for exact round trips through a real video container.</summary>
    public static void WriteLossless(VideoClip clip, string target, string temp, CancellationToken cancellation) =>
        Encode(clip, target, temp, cancellation, "-c:v", "ffv1", "-pix_fmt", "bgr0", "-f", "matroska");

    static void Encode(VideoClip clip, string target, string temp, CancellationToken cancellation, params string[] output)
    {
        var args = new List<string>
        {
            "-nostdin", "-hide_banner", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", $"{clip.Width}x{clip.Height}",
            "-r", clip.FramesPerSecond.ToString("R", CultureInfo.InvariantCulture),
            "-i", "pipe:0",
        };
        args.AddRange(output);
        args.Add("file:" + temp);

        using var run = ToolProcess.Start("ffmpeg", args, target, writeInput: true, Timeout, cancellation);
        var drain = run.Output.CopyToAsync(Stream.Null, CancellationToken.None);
        bool pipeBroke = false;
        try
        {
            for (int t = 0; t < clip.Frames; t++) run.Input.Write(clip.Frame(t));
            run.Input.Close();
        }
        catch (IOException)
        {
            // ffmpeg quit early; its stderr says why.
            pipeBroke = true;
        }
        int exitCode = run.WaitForExit();
        drain.Wait(TimeSpan.FromSeconds(5));
        cancellation.ThrowIfCancellationRequested();
        if (run.Cancelled)
            throw new UserInputException($"{target}: encoding did not finish within {Timeout.TotalMinutes:0} minutes; ffmpeg was stopped");
        if (exitCode != 0 || pipeBroke)
            throw new UserInputException($"{target}: ffmpeg could not encode the video{ToolMessages.Suffix(run.ErrorLines, temp)}");
    }
}
