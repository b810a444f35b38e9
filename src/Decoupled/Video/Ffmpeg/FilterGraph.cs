using System.Globalization;

namespace Decoupled.Video.Ffmpeg;

/// <summary>
/// Builds the ffmpeg <c>-vf</c> chain for a read: frame selection first (so skipped frames are
/// never scaled), then centre crop and resize, then a fixed-size scale that pins the output size even if
/// the stream changes resolution part way.
/// </summary>
internal static class FilterGraph
{
    public static string For(VideoReadOptions options, FrameSize source, FrameSize output)
    {
        var filters = new List<string>();
        if (options.Start > 0 || options.Stride > 1)
        {
            // n is the index of the decoded frame; commas inside the expression are escaped for the graph parser.
            var s = options.Start.ToString(CultureInfo.InvariantCulture);
            var k = options.Stride.ToString(CultureInfo.InvariantCulture);
            filters.Add($@"select=gte(n\,{s})*not(mod(n-{s}\,{k}))");
        }

        if (options.Size is { } size && size != source)
        {
            // Area averaging when shrinking (no aliasing), bilinear when enlarging: the same choice as FrameOps.
            var flags = size.Width <= source.Width && size.Height <= source.Height ? "area" : "bilinear";
            if (options.Resize == ResizeMode.CoverCrop)
            {
                // Crop the centred region with the target's aspect first, then scale: fewer pixels to scale,
                // and the same geometry as FrameOps (scaling first would round the intermediate size).
                var (w, h) = (size.Width.ToString(CultureInfo.InvariantCulture), size.Height.ToString(CultureInfo.InvariantCulture));
                filters.Add($@"crop=w=min(iw\,ih*{w}/{h}):h=min(ih\,iw*{h}/{w}):exact=1");
            }
            filters.Add($"scale={size.Width}:{size.Height}:flags={flags}");
        }

        filters.Add($"scale={output.Width}:{output.Height}");
        filters.Add("setsar=1");
        return string.Join(',', filters);
    }
}
