using Decoupled.Video;

namespace Decoupled.Tests.Video;

public class ContactSheetTests
{
    static VideoClip Solid(int frames, int w, int h, byte r)
    {
        var clip = new VideoClip(frames, h, w);
        for (int t = 0; t < frames; t++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    clip[t, y, x, 0] = (byte)(r + t);
        return clip;
    }

    [Fact]
    public void Grid_has_one_row_per_clip_and_one_column_per_strided_frame()
    {
        var a = Solid(6, 8, 4, 100);
        var b = Solid(4, 8, 4, 200);
        var sheet = ContactSheet.Compose([a, b], new ContactSheetOptions { FrameStride = 2, Gap = 1 });
        // columns = ceil(6 / 2) = 3; width = 3*8 + 4 gaps; height = 2*(4 + 1) + 1.
        Assert.Equal((1, 11, 28), (sheet.Frames, sheet.Height, sheet.Width));
        Assert.Equal(100, sheet[0, 1, 1, 0]);        // a, frame 0
        Assert.Equal(104, sheet[0, 1, 1 + 2 * 9, 0]); // a, frame 4 in column 2
        Assert.Equal(202, sheet[0, 6, 1 + 9, 0]);     // b, frame 2 in column 1
        Assert.Equal(255, sheet[0, 6, 1 + 2 * 9, 0]); // b has no third column: background
        Assert.Equal(255, sheet[0, 0, 0, 1]);         // gap
    }

    [Fact]
    public void Max_columns_limits_the_width()
    {
        var sheet = ContactSheet.Compose([Solid(10, 4, 4, 0)], new ContactSheetOptions { MaxColumns = 3, Gap = 0 });
        Assert.Equal(12, sheet.Width);
    }

    [Fact]
    public void Labels_add_a_band_with_text_or_are_skipped()
    {
        var clips = new[] { Solid(2, 40, 8, 0), Solid(2, 40, 8, 0) };
        var plain = ContactSheet.Compose(clips);
        var labelled = ContactSheet.Compose(clips, new ContactSheetOptions { Labels = ["real", "generated"] });
        Assert.Equal(plain.Width, labelled.Width);
        if (labelled.Height == plain.Height) return; // no font on this machine: labels skipped, nothing crashed
        Assert.Equal(plain.Height + 2 * 14, labelled.Height);
        // Some dark text pixels in the first band.
        bool ink = false;
        for (int y = 2; y < 16; y++)
            for (int x = 2; x < 40; x++)
                ink |= labelled[0, y, x, 1] < 128;
        Assert.True(ink);
        Assert.Throws<ArgumentException>(() => ContactSheet.Compose(clips, new ContactSheetOptions { Labels = ["one"] }));
    }

    [Fact]
    public void Write_produces_a_png()
    {
        using var dir = new TempDir();
        ContactSheet.Write(dir.File("sheet.png"), [Solid(3, 8, 8, 10)]);
        var back = VideoReader.Read(dir.File("sheet.png"));
        Assert.Equal((1, 12, 32), (back.Frames, back.Height, back.Width));
    }
}
