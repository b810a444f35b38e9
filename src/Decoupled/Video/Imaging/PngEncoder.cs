using ImageMagick;

namespace Decoupled.Video.Imaging;

/// <summary>Lossless 8-bit PNG of one packed RGB frame through ImageMagick.</summary>
internal static class PngEncoder
{
    public static void Write(ReadOnlySpan<byte> rgb, int width, int height, string temp)
    {
        using var image = MagickFrames.FromRgb(rgb, width, height);
        image.Depth = 8;
        image.Write(temp, MagickFormat.Png);
    }
}
