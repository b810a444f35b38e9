using ImageMagick;

namespace Decoupled.Video.Imaging;

/// <summary>Moves single frames between ImageMagick images and packed RGB bytes.</summary>
internal static class MagickFrames
{
    /// <summary>Decodes an image file to packed 8-bit RGB (alpha flattened onto black).</summary>
    public static byte[] ReadRgb(string path, out FrameSize size)
    {
        try
        {
            using var image = new MagickImage(path);
            size = new FrameSize((int)image.Width, (int)image.Height);
            if (!size.IsValid)
                throw new UserInputException($"{path}: unsupported image size {size}");
            return ToRgb(image);
        }
        catch (MagickException e)
        {
            throw new UserInputException($"{path}: cannot decode image ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>The image's width and height, read from its header only.</summary>
    public static FrameSize ReadSize(string path)
    {
        try
        {
            var info = new MagickImageInfo(path);
            return new FrameSize((int)info.Width, (int)info.Height);
        }
        catch (MagickException e)
        {
            throw new UserInputException($"{path}: cannot read image ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>Packed RGB bytes of an image, converted to 8-bit sRGB.</summary>
    public static byte[] ToRgb(MagickImage image)
    {
        if (image.ColorSpace != ColorSpace.sRGB && image.ColorSpace != ColorSpace.Gray)
            image.ColorSpace = ColorSpace.sRGB;
        if (image.HasAlpha)
        {
            image.BackgroundColor = MagickColors.Black;
            image.Alpha(AlphaAction.Remove);
        }
        // Palette and low-bit PNGs load with depth < 8, and the raw dump follows the depth.
        image.Depth = 8;
        return image.ToByteArray(MagickFormat.Rgb);
    }

    /// <summary>An image over packed RGB bytes.</summary>
    public static MagickImage FromRgb(ReadOnlySpan<byte> rgb, int width, int height)
    {
        var settings = new MagickReadSettings
        {
            Width = (uint)width,
            Height = (uint)height,
            Format = MagickFormat.Rgb,
            Depth = 8,
        };
        return new MagickImage(rgb.ToArray(), settings);
    }

    /// <summary>ImageMagick messages can span lines; a user error is one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
