using System.Diagnostics;
using Decoupled.Decompositions;
using Decoupled.Decompositions.Visualization;
using Decoupled.Video;

namespace Decoupled.Cli.Reports;

/// <summary>Which decomposition the <c>decompose</c> verb and the demo run.</summary>
public enum DecompositionMethod
{
    /// <summary>D-VDM: first frame plus frame differences.</summary>
    Diff,

    /// <summary>ED-VDM: H.264-style block motion vectors plus residuals.</summary>
    Codec,

    /// <summary>MOSO: motion, scene and object videos.</summary>
    Moso,
}

/// <summary>The JSON of one decomposition run (snake_case in the file).</summary>
public sealed record DecompositionResult
{
    /// <summary>diff, codec or moso.</summary>
    public required string Method { get; init; }
    /// <summary>Frames decomposed.</summary>
    public required int Frames { get; init; }
    /// <summary>Frame width.</summary>
    public required int Width { get; init; }
    /// <summary>Frame height.</summary>
    public required int Height { get; init; }
    /// <summary>True when the inverse reproduced the input bit for bit.</summary>
    public required bool Exact { get; init; }
    /// <summary>Mean |residual| (codec), |frame difference| (diff) or |motion video| (moso).</summary>
    public required double MeanAbsResidual { get; init; }
    /// <summary>Mean |v[n] - v[n-1]|: the zero-motion residual, for comparison.</summary>
    public required double MeanAbsFrameDifference { get; init; }
    /// <summary>Seconds spent in the decomposition itself (not reading or drawing).</summary>
    public required double Seconds { get; init; }
    /// <summary>Frames decomposed per second.</summary>
    public required double FramesPerSecond { get; init; }
    /// <summary>Codec: macroblock side.</summary>
    public int? Block { get; init; }
    /// <summary>Codec: search range in pixels.</summary>
    public int? Search { get; init; }
    /// <summary>Codec: exhaustive or diamond.</summary>
    public string? SearchMethod { get; init; }
    /// <summary>Codec: fraction of blocks with the zero vector.</summary>
    public double? ZeroVectorFraction { get; init; }
    /// <summary>Codec: mean vector length in pixels.</summary>
    public double? MeanVectorMagnitude { get; init; }
    /// <summary>MOSO: fraction of pixels in the object video.</summary>
    public double? ObjectFraction { get; init; }
    /// <summary>Files written, by role (paths relative to the output folder).</summary>
    public required IReadOnlyDictionary<string, string> Outputs { get; init; }
}

/// <summary>
/// Runs one decomposition on a clip, checks its inverse, and writes its pictures (GIFs per part
/// and a contact sheet): shared by <c>decompose</c> and <c>demo</c>.
/// </summary>
public static class DecompositionReport
{
    /// <summary>Decomposes <paramref name="clip"/> and writes the visualisations under <paramref name="outDir"/>.</summary>
    public static DecompositionResult Run(VideoClip clip, DecompositionMethod method, BlockMotionOptions codec,
        MotionSceneObjectOptions moso, string outDir, string prefix = "")
    {
        var outputs = new Dictionary<string, string>();
        var rows = new List<(string Label, VideoClip Clip)> { ("input", clip) };
        void Gif(string role, VideoClip picture)
        {
            var name = $"{prefix}{role}.gif";
            VideoWriter.WriteGif(picture, Path.Combine(outDir, name));
            outputs[role] = name;
            rows.Add((role.Replace('_', ' '), picture));
        }

        var watch = Stopwatch.StartNew();
        double frameDifference = DecompositionSummary.FrameDifferenceOf(clip);
        DecompositionResult result;
        switch (method)
        {
            case DecompositionMethod.Diff:
            {
                var d = new FrameDifference();
                var parts = d.Decompose(clip);
                double seconds = watch.Elapsed.TotalSeconds;
                bool exact = d.Reconstruct(parts).ContentEquals(clip);
                Gif("frame_differences", ResidualHeatMap.Render(parts.Differences));
                result = Base("diff", clip, exact, parts.MeanAbsFrameDifference(), frameDifference, seconds, outputs);
                break;
            }
            case DecompositionMethod.Codec:
            {
                var d = new BlockMotion(codec);
                var parts = d.Decompose(clip);
                double seconds = watch.Elapsed.TotalSeconds;
                bool exact = d.Reconstruct(parts).ContentEquals(clip);
                var summary = DecompositionSummary.Of(clip, parts);
                Gif("motion_colour_wheel", MotionColorWheel.Render(parts.MotionVectors));
                Gif("motion_arrows", MotionArrows.Render(clip, parts.MotionVectors));
                Gif("residual", ResidualHeatMap.Render(parts.Residuals));
                result = Base("codec", clip, exact, parts.MeanAbsResidual(), frameDifference, seconds, outputs) with
                {
                    Block = codec.BlockSize, Search = codec.SearchRange, SearchMethod = codec.Search.ToString().ToLowerInvariant(),
                    ZeroVectorFraction = summary.ZeroVectorFraction, MeanVectorMagnitude = summary.MeanVectorMagnitude,
                };
                break;
            }
            default:
            {
                var d = new MotionSceneObject(moso);
                var parts = d.Decompose(clip);
                double seconds = watch.Elapsed.TotalSeconds;
                bool exact = d.Reconstruct(parts).ContentEquals(clip);
                Gif("motion", ResidualHeatMap.Render(parts.Motion));
                Gif("object", parts.Object);
                Gif("scene", parts.Scene);
                Gif("object_mask", SceneObjectMasks.Mask(parts));
                result = Base("moso", clip, exact, parts.MeanAbsMotion(), frameDifference, seconds, outputs) with { ObjectFraction = parts.ObjectFraction() };
                break;
            }
        }

        VideoWriter.WriteGif(clip, Path.Combine(outDir, $"{prefix}input.gif"));
        outputs["input"] = $"{prefix}input.gif";
        var sheet = $"{prefix}contact_sheet.png";
        ContactSheet.Write(Path.Combine(outDir, sheet), AlignRows(rows.Select(r => r.Clip).ToList()),
            new ContactSheetOptions { Labels = rows.Select(r => r.Label).ToList(), MaxColumns = 16 });
        outputs["contact_sheet"] = sheet;
        return result with { Outputs = outputs };
    }

    private static DecompositionResult Base(string method, VideoClip clip, bool exact, double residual, double frameDifference,
        double seconds, IReadOnlyDictionary<string, string> outputs) => new()
        {
            Method = method, Frames = clip.Frames, Width = clip.Width, Height = clip.Height, Exact = exact,
            MeanAbsResidual = residual, MeanAbsFrameDifference = frameDifference, Seconds = seconds,
            FramesPerSecond = seconds > 0 ? clip.Frames / seconds : double.PositiveInfinity, Outputs = outputs,
        };

    /// <summary>P-frame pictures have T-1 frames: pad them with a blank first frame so columns line up with the input.</summary>
    private static List<VideoClip> AlignRows(List<VideoClip> rows)
    {
        int frames = rows.Max(r => r.Frames);
        return rows.Select(r => r.Frames == frames ? r : PadFront(r, frames - r.Frames)).ToList();
    }

    private static VideoClip PadFront(VideoClip clip, int blank)
    {
        var padded = new VideoClip(clip.Frames + blank, clip.Height, clip.Width, clip.FramesPerSecond);
        clip.Pixels.CopyTo(padded.Pixels, (long)blank * clip.FrameSize);
        return padded;
    }
}
