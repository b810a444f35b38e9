using Decoupled.Video.Imaging;

namespace Decoupled.Video;

/// <summary>
/// A grid of frames for looking at results side by side: one row per clip, one column per
/// (strided) frame, a small gap between cells and an optional label band above each row.
/// Clips of different sizes share a cell size (the largest); smaller frames sit centred in it.
/// </summary>
public static class ContactSheet
{
    /// <summary>Composes the sheet as a one-frame clip (so it can be compared, resized or written like any frame).</summary>
    /// <exception cref="ArgumentException">No clips, a label count that does not match, or a bad stride, column count or gap.</exception>
    public static VideoClip Compose(IReadOnlyList<VideoClip> rows, ContactSheetOptions? options = null)
    {
        options ??= new ContactSheetOptions();
        Check(rows, options);
        int cellW = rows.Max(c => c.Width), cellH = rows.Max(c => c.Height);
        int columns = rows.Max(c => ColumnsOf(c, options));
        bool labels = options.Labels is not null && LabelPainter.Available;
        int band = labels ? LabelPainter.BandHeight : 0;
        int gap = options.Gap;

        int width = columns * cellW + (columns + 1) * gap;
        int rowHeight = band + cellH + gap;
        int height = rows.Count * rowHeight + gap;
        long bytes = (long)width * height * VideoClip.Channels;
        if (!new FrameSize(width, height).IsValid || bytes > Array.MaxLength)
            throw new ArgumentException($"a {width}x{height} contact sheet is too large; use a frame stride or fewer columns", nameof(options));

        var pixels = new byte[bytes];
        var (r, g, b) = options.Background;
        for (long i = 0; i < bytes; i += 3)
        {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }

        for (int row = 0; row < rows.Count; row++)
        {
            var clip = rows[row];
            int top = gap + row * rowHeight + band + (cellH - clip.Height) / 2;
            for (int col = 0; col < ColumnsOf(clip, options); col++)
            {
                int left = gap + col * (cellW + gap) + (cellW - clip.Width) / 2;
                Blit(clip.Frame(col * options.FrameStride), clip.Width, clip.Height, pixels, width, left, top);
            }
        }

        var sheet = new VideoClip(1, height, width, pixels, rows[0].FramesPerSecond);
        return labels ? DrawLabels(sheet, options.Labels!, rowHeight, gap) : sheet;
    }

    /// <summary>Composes the sheet and writes it as a PNG (atomically).</summary>
    public static void Write(string path, IReadOnlyList<VideoClip> rows, ContactSheetOptions? options = null) =>
        VideoWriter.WritePng(Compose(rows, options), 0, path);

    static int ColumnsOf(VideoClip clip, ContactSheetOptions options)
    {
        int shown = (clip.Frames + options.FrameStride - 1) / options.FrameStride;
        return options.MaxColumns is { } max ? Math.Min(shown, max) : shown;
    }

    static void Blit(ReadOnlySpan<byte> frame, int w, int h, byte[] sheet, int sheetWidth, int left, int top)
    {
        int rowBytes = w * VideoClip.Channels;
        for (int y = 0; y < h; y++)
            frame.Slice(y * rowBytes, rowBytes).CopyTo(sheet.AsSpan(((top + y) * sheetWidth + left) * VideoClip.Channels, rowBytes));
    }

    static VideoClip DrawLabels(VideoClip sheet, IReadOnlyList<string> labels, int rowHeight, int gap)
    {
        try
        {
            using var image = MagickFrames.FromRgb(sheet.Pixels, sheet.Width, sheet.Height);
            for (int row = 0; row < labels.Count; row++)
                LabelPainter.Draw(image, labels[row], gap, gap + row * rowHeight);
            var rgb = MagickFrames.ToRgb(image);
            return new VideoClip(1, sheet.Height, sheet.Width, rgb, sheet.FramesPerSecond);
        }
        catch (ImageMagick.MagickException)
        {
            // A label the font cannot render is not worth losing the sheet over: keep it unlabelled.
            return sheet;
        }
    }

    static void Check(IReadOnlyList<VideoClip> rows, ContactSheetOptions options)
    {
        if (rows.Count == 0) throw new ArgumentException("a contact sheet needs at least one clip", nameof(rows));
        if (options.Labels is { } labels && labels.Count != rows.Count)
            throw new ArgumentException($"{labels.Count} labels for {rows.Count} clips", nameof(options));
        if (options.FrameStride < 1) throw new ArgumentException($"frame stride must be 1 or more, got {options.FrameStride}", nameof(options));
        if (options.MaxColumns is < 1) throw new ArgumentException($"max columns must be 1 or more, got {options.MaxColumns}", nameof(options));
        if (options.Gap < 0) throw new ArgumentException($"gap must be 0 or more, got {options.Gap}", nameof(options));
    }
}
