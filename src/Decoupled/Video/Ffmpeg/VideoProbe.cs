using System.Globalization;
using System.Text.Json;

namespace Decoupled.Video.Ffmpeg;

/// <summary>Reads a video file's metadata with ffprobe and turns every failure into a one-line user error.</summary>
internal static class VideoProbe
{
    /// <summary>Longest a probe may take; reading a header should take well under a second.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static VideoInfo Probe(string path, TimeSpan timeout, CancellationToken cancellation)
    {
        var fullPath = Path.GetFullPath(path);
        var stream = RunProbe(path, fullPath, countPackets: false, timeout, cancellation);
        if (stream.FrameCount is null && !stream.IsStillImage)
            stream = RunProbe(path, fullPath, countPackets: true, timeout, cancellation);
        return stream.ToInfo(path);
    }

    static ProbedStream RunProbe(string path, string fullPath, bool countPackets, TimeSpan timeout, CancellationToken cancellation)
    {
        var args = new List<string> { "-v", "error", "-hide_banner", "-select_streams", "V:0" };
        if (countPackets) args.Add("-count_packets");
        args.AddRange([
            "-show_entries",
            "stream=codec_name,width,height,nb_frames,nb_read_packets,avg_frame_rate,r_frame_rate,duration" +
            ":stream_side_data=rotation:stream_tags=rotate:format=format_name,duration",
            "-of", "json", "file:" + fullPath,
        ]);

        string json;
        int exitCode;
        IReadOnlyList<string> errors;
        using (var run = ToolProcess.Start("ffprobe", args, path, writeInput: false, timeout, cancellation))
        {
            using var reader = new StreamReader(run.Output);
            json = reader.ReadToEnd();
            exitCode = run.WaitForExit();
            errors = run.ErrorLines;
            cancellation.ThrowIfCancellationRequested();
            if (run.Cancelled)
                throw new UserInputException($"{path}: ffprobe did not finish within {timeout.TotalSeconds:0.###} s; the file may be damaged");
        }
        if (exitCode != 0)
            throw new UserInputException($"{path}: not a video ffmpeg can read{ToolMessages.Suffix(errors, fullPath)}");
        return ProbedStream.Parse(json, path);
    }

    /// <summary>The fields of ffprobe's JSON that <see cref="VideoInfo"/> needs.</summary>
    sealed record ProbedStream(
        string Format, string Codec, int Width, int Height, int? FrameCount, double Fps, double? Duration, int Rotation)
    {
        public bool IsStillImage => Format == "image2" || Format.EndsWith("_pipe", StringComparison.Ordinal);

        public static ProbedStream Parse(string json, string path)
        {
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(json).RootElement;
            }
            catch (JsonException e)
            {
                throw new UserInputException($"{path}: ffprobe gave unreadable output ({e.Message})", e);
            }

            var format = root.TryGetProperty("format", out var f) ? f : default;
            var formatName = Text(format, "format_name") ?? "unknown";
            if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
                throw new UserInputException($"{path}: has no video stream (format {formatName})");
            var s = streams[0];

            int? frames = Int(s, "nb_frames") ?? Int(s, "nb_read_packets");
            double fps = Rate(Text(s, "avg_frame_rate")) ?? Rate(Text(s, "r_frame_rate")) ?? 25;
            double? duration = Number(s, "duration") ?? Number(format, "duration");
            return new ProbedStream(formatName, Text(s, "codec_name") ?? "unknown",
                Int(s, "width") ?? 0, Int(s, "height") ?? 0, frames is > 0 ? frames : null, fps, duration, ReadRotation(s));
        }

        public VideoInfo ToInfo(string path)
        {
            if (IsStillImage && !VideoReader.IsImageFile(path))
                throw new UserInputException($"{path}: is a {Codec.ToUpperInvariant()} image, not a video (give it an image extension to read it as a one-frame clip)");
            bool swap = Math.Abs(Rotation) % 180 == 90;
            int width = swap ? Height : Width, height = swap ? Width : Height;
            if (!new FrameSize(width, height).IsValid)
                throw new UserInputException($"{path}: unsupported frame size {width}x{height} (sides must be 1..{FrameSize.MaxSide})");

            int count;
            bool exact = true;
            if (IsStillImage) count = 1;
            else if (FrameCount is { } n) count = n;
            else if (Duration is > 0)
            {
                count = Math.Max(1, (int)Math.Round(Duration.Value * Fps));
                exact = false;
            }
            else throw new UserInputException($"{path}: the video states neither a frame count nor a duration; it is probably empty or damaged");

            return new VideoInfo(path, width, height, count, Fps, Duration ?? count / Fps, Format, Codec, exact);
        }

        static int ReadRotation(JsonElement s)
        {
            if (s.TryGetProperty("side_data_list", out var list))
                foreach (var item in list.EnumerateArray())
                    if (Int(item, "rotation") is { } r) return r;
            if (s.TryGetProperty("tags", out var tags) && Int(tags, "rotate") is { } t) return t;
            return 0;
        }

        static string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
                : null;

        static int? Int(JsonElement e, string name) =>
            int.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

        static double? Number(JsonElement e, string name) =>
            double.TryParse(Text(e, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

        static double? Rate(string? text)
        {
            var parts = text?.Split('/');
            if (parts is not { Length: 2 }) return null;
            if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num) ||
                !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den) ||
                num <= 0 || den <= 0) return null;
            var rate = num / den;
            // GIFs and broken headers report rates like 1000/1 or 90000/1: not a frame rate.
            return rate is > 0 and <= 240 ? rate : null;
        }
    }
}
