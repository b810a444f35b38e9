using System.Runtime.InteropServices;
using ImageMagick;
using ImageMagick.Drawing;

namespace Decoupled.Video.Imaging;

/// <summary>
/// Draws short text with ImageMagick. Text needs a font through fontconfig/freetype, which a bare
/// machine may lack, so availability is tested once and callers leave labels out when it fails.
/// </summary>
internal static partial class LabelPainter
{
    const string SystemFontConfig = "/etc/fonts/fonts.conf";
    static readonly string[] FontFiles = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"];
    static readonly string? FontFile = FontFiles.FirstOrDefault(File.Exists);

    public const int BandHeight = 14;
    const double PointSize = 11;

    static readonly Lazy<bool> CanDraw = new(() =>
    {
        // Magick.NET's bundled fontconfig looks for its config in its build prefix and prints
        // "Cannot load default config file" on every draw; point it at the system's file. The
        // variable must reach the native getenv, which Environment.SetEnvironmentVariable does not.
        if (Environment.GetEnvironmentVariable("FONTCONFIG_FILE") is null && File.Exists(SystemFontConfig))
            SetEnv("FONTCONFIG_FILE", SystemFontConfig, 0);
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
        var drawables = new Drawables();
        if (FontFile is not null) drawables.Font(FontFile);
        drawables
            .FontPointSize(PointSize)
            .FillColor(MagickColors.Black)
            .Text(x + 1, y + BandHeight - 3, text)
            .Draw(image);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
