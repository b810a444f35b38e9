using Decoupled.Video.Imaging;

namespace Decoupled.Video;

/// <summary>
/// Resizing and cropping of in-memory clips in plain C# (frames in parallel), for sources ffmpeg
/// does not scale (frame folders, generated clips) and for anyone who needs a clip at another size.
/// </summary>
public static class FrameOps
{
    /// <summary>Brings every frame to <paramref name="size"/>: cover-and-centre-crop, or stretch.</summary>
    public static VideoClip Resize(VideoClip clip, FrameSize size, ResizeMode mode = ResizeMode.CoverCrop, ResizeFilter filter = ResizeFilter.Auto)
    {
        CheckTarget(size);
        if (size.Width == clip.Width && size.Height == clip.Height) return clip.Clone();
        var source = CoverRegion(clip.Width, clip.Height, size, mode);
        var xs = AxisWeights.Build(clip.Width, source.X, source.Width, size.Width, filter);
        var ys = AxisWeights.Build(clip.Height, source.Y, source.Height, size.Height, filter);

        int outFrame = size.Width * size.Height * VideoClip.Channels;
        var pixels = new byte[(long)clip.Frames * outFrame];
        Parallel.For(0, clip.Frames, t =>
            Resample(clip.Pixels.AsSpan(t * clip.FrameSize, clip.FrameSize), clip.Width, clip.Height,
                pixels.AsSpan(t * outFrame, outFrame), xs, ys));
        return new VideoClip(clip.Frames, size.Height, size.Width, pixels, clip.FramesPerSecond);
    }

    /// <summary>Resizes one packed RGB frame (<c>[H, W, 3]</c>) into <paramref name="destination"/>.</summary>
    public static void ResizeFrame(ReadOnlySpan<byte> source, FrameSize sourceSize, Span<byte> destination, FrameSize size,
        ResizeMode mode = ResizeMode.CoverCrop, ResizeFilter filter = ResizeFilter.Auto)
    {
        CheckTarget(size);
        if (source.Length != sourceSize.Width * sourceSize.Height * VideoClip.Channels)
            throw new ArgumentException($"source holds {source.Length} bytes, not a {sourceSize} RGB frame", nameof(source));
        if (destination.Length != size.Width * size.Height * VideoClip.Channels)
            throw new ArgumentException($"destination holds {destination.Length} bytes, not a {size} RGB frame", nameof(destination));
        var region = CoverRegion(sourceSize.Width, sourceSize.Height, size, mode);
        var xs = AxisWeights.Build(sourceSize.Width, region.X, region.Width, size.Width, filter);
        var ys = AxisWeights.Build(sourceSize.Height, region.Y, region.Height, size.Height, filter);
        Resample(source, sourceSize.Width, sourceSize.Height, destination, xs, ys);
    }

    /// <summary>The centre <paramref name="size"/> pixels of every frame (no scaling); the size must fit in the clip.</summary>
    public static VideoClip CenterCrop(VideoClip clip, FrameSize size)
    {
        CheckTarget(size);
        if (size.Width > clip.Width || size.Height > clip.Height)
            throw new ArgumentException($"cannot crop {size} out of {clip.Width}x{clip.Height} frames", nameof(size));
        // Same rounding as ffmpeg's crop filter: the odd pixel goes to the right and bottom.
        int x0 = (clip.Width - size.Width) / 2, y0 = (clip.Height - size.Height) / 2;
        int rowBytes = size.Width * VideoClip.Channels;
        var pixels = new byte[(long)clip.Frames * size.Height * rowBytes];
        for (int t = 0; t < clip.Frames; t++)
            for (int y = 0; y < size.Height; y++)
            {
                int from = ((t * clip.Height + y0 + y) * clip.Width + x0) * VideoClip.Channels;
                int to = (t * size.Height + y) * rowBytes;
                clip.Pixels.AsSpan(from, rowBytes).CopyTo(pixels.AsSpan(to, rowBytes));
            }
        return new VideoClip(clip.Frames, size.Height, size.Width, pixels, clip.FramesPerSecond);
    }

    /// <summary>
    /// The source rectangle that maps onto the output: the whole frame for a stretch, else the
    /// centred largest rectangle with the target's aspect ratio (what cover-then-crop keeps).
    /// </summary>
    static (double X, double Y, double Width, double Height) CoverRegion(int width, int height, FrameSize size, ResizeMode mode)
    {
        if (mode == ResizeMode.Stretch) return (0, 0, width, height);
        double scale = Math.Max((double)size.Width / width, (double)size.Height / height);
        double w = size.Width / scale, h = size.Height / scale;
        return ((width - w) / 2, (height - h) / 2, w, h);
    }

    /// <summary>Separable resampling: rows first into a float buffer, then columns, rounding once at the end.</summary>
    static void Resample(ReadOnlySpan<byte> source, int width, int height, Span<byte> destination, AxisWeights xs, AxisWeights ys)
    {
        const int C = VideoClip.Channels;
        int outWidth = xs.Start.Length, outHeight = ys.Start.Length;
        int firstRow = ys.Start[0], lastRow = ys.Start[^1] + ys.Count[^1] - 1;
        var rows = new float[(lastRow - firstRow + 1) * outWidth * C];

        for (int y = firstRow; y <= lastRow; y++)
        {
            var src = source.Slice(y * width * C, width * C);
            var dst = rows.AsSpan((y - firstRow) * outWidth * C, outWidth * C);
            for (int x = 0; x < outWidth; x++)
            {
                int s = xs.Start[x], n = xs.Count[x];
                var w = xs.Weights.AsSpan(x * xs.MaxTaps, n);
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < n; k++)
                {
                    int p = (s + k) * C;
                    r += w[k] * src[p];
                    g += w[k] * src[p + 1];
                    b += w[k] * src[p + 2];
                }
                dst[x * C] = r;
                dst[x * C + 1] = g;
                dst[x * C + 2] = b;
            }
        }

        int rowFloats = outWidth * C;
        for (int y = 0; y < outHeight; y++)
        {
            int s = ys.Start[y] - firstRow, n = ys.Count[y];
            var w = ys.Weights.AsSpan(y * ys.MaxTaps, n);
            var dst = destination.Slice(y * rowFloats, rowFloats);
            for (int i = 0; i < rowFloats; i++)
            {
                float v = 0;
                for (int k = 0; k < n; k++) v += w[k] * rows[(s + k) * rowFloats + i];
                dst[i] = (byte)Math.Clamp(MathF.Round(v), 0, 255);
            }
        }
    }

    static void CheckTarget(FrameSize size)
    {
        if (!size.IsValid) throw new ArgumentOutOfRangeException(nameof(size), $"frame size {size} is not in 1..{FrameSize.MaxSide}");
    }
}
