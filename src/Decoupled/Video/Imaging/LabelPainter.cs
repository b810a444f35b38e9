using ImageMagick;
using ImageMagick.Drawing;

namespace Decoupled.Video.Imaging;

/// <summary>
/// Draws short text with ImageMagick. Text needs a font through fontconfig/freetype, which a bare
/// machine may lack, so availability is tested once and callers leave labels out when it fails.
/// </summary>
internal static class LabelPainter
{
    public const int BandHeight = 14;
    const double PointSize = 11;

    static readonly Lazy<bool> CanDraw = new(() =>
    {
        try
        {
            using var probe = new MagickImage(MagickColors.White, 64, BandHeight);
            Draw(probe, "Ag", 0, 0);
            return true;
        }
        catch (MagickException)
        {
            return false;
        }
    });

    /// <summary>True when ImageMagick can render text on this machine.</summary>
    public static bool Available => CanDraw.Value;

    /// <summary>Draws <paramref name="text"/> in black with its top-left corner near (x, y).</summary>
    public static void Draw(MagickImage image, string text, int x, int y)
    {
        new Drawables()
            .FontPointSize(PointSize)
            .FillColor(MagickColors.Black)
            .Text(x + 1, y + BandHeight - 3, text)
            .Draw(image);
    }
}
