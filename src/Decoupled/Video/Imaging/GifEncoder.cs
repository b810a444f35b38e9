using ImageMagick;

namespace Decoupled.Video.Imaging;

/// <summary>Animated GIF through ImageMagick: full frames, loops forever, one palette per frame without dithering.</summary>
internal static class GifEncoder
{
    public static void Write(VideoClip clip, string temp)
    {
        // GIF delays are in hundredths of a second; most viewers treat delays under 2 as 10, so 2 is the floor.
        uint delay = (uint)Math.Clamp(Math.Round(100 / clip.FramesPerSecond), 2, 65535);
        // No dithering: flat and smooth areas come back with their exact colours when they fit the palette.
        var quantize = new QuantizeSettings { Colors = 256, DitherMethod = DitherMethod.No };
        using var frames = new MagickImageCollection();
        for (int t = 0; t < clip.Frames; t++)
        {
            var image = MagickFrames.FromRgb(clip.Frame(t), clip.Width, clip.Height);
            image.Quantize(quantize);
            image.AnimationDelay = delay;
            image.AnimationIterations = 0;
            image.GifDisposeMethod = GifDisposeMethod.None;
            frames.Add(image);
        }
        frames.Write(temp, MagickFormat.Gif);
    }
}
