namespace Decoupled.Video;

/// <summary>
/// A clip of RGB frames as bytes in <c>[T, H, W, C]</c> order (C = 3), the form every reader,
/// writer and decomposition exchanges. Plain managed memory: no TorchSharp here
/// (see <c>Decoupled.Tensors.ClipTensor</c> for the conversion to <c>[C, T, H, W]</c> floats).
/// </summary>
public sealed class VideoClip
{
    /// <summary>Channels per pixel (RGB).</summary>
    public const int Channels = 3;

    /// <summary>Creates a clip over existing pixel data, which must hold exactly T*H*W*3 bytes.</summary>
    public VideoClip(int frames, int height, int width, byte[] pixels, double framesPerSecond = 25)
    {
        if (frames <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(frames), $"clip size must be positive, got {frames}x{height}x{width}");
        if (pixels.LongLength != (long)frames * height * width * Channels)
            throw new ArgumentException($"expected {(long)frames * height * width * Channels} bytes for {frames}x{height}x{width}x3, got {pixels.LongLength}", nameof(pixels));
        Frames = frames;
        Height = height;
        Width = width;
        Pixels = pixels;
        FramesPerSecond = framesPerSecond;
    }

    /// <summary>Creates a black clip of the given size.</summary>
    public VideoClip(int frames, int height, int width, double framesPerSecond = 25)
        : this(frames, height, width, new byte[(long)frames * height * width * Channels], framesPerSecond) { }

    /// <summary>Number of frames T.</summary>
    public int Frames { get; }

    /// <summary>Frame height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Frame width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame rate used when the clip is written as a video.</summary>
    public double FramesPerSecond { get; init; }

    /// <summary>All pixels, <c>[T, H, W, C]</c>, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes in one frame (H*W*3).</summary>
    public int FrameSize => Height * Width * Channels;

    /// <summary>The bytes of frame <paramref name="t"/>, <c>[H, W, C]</c>.</summary>
    public Span<byte> Frame(int t)
    {
        if ((uint)t >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(t), $"frame {t} of a {Frames}-frame clip");
        return Pixels.AsSpan(t * FrameSize, FrameSize);
    }

    /// <summary>Pixel value at frame t, row y, column x, channel c.</summary>
    public byte this[int t, int y, int x, int c]
    {
        get => Pixels[((t * Height + y) * Width + x) * Channels + c];
        set => Pixels[((t * Height + y) * Width + x) * Channels + c] = value;
    }

    /// <summary>A deep copy.</summary>
    public VideoClip Clone() => new(Frames, Height, Width, (byte[])Pixels.Clone(), FramesPerSecond);

    /// <summary>Frames <paramref name="start"/> .. start+count-1 as a new clip (copied).</summary>
    public VideoClip Slice(int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > Frames)
            throw new ArgumentOutOfRangeException(nameof(start), $"frames {start}..{start + count - 1} of a {Frames}-frame clip");
        var data = Pixels.AsSpan(start * FrameSize, count * FrameSize).ToArray();
        return new VideoClip(count, Height, Width, data, FramesPerSecond);
    }

    /// <summary>True when both clips have the same size and identical bytes.</summary>
    public bool ContentEquals(VideoClip other) =>
        Frames == other.Frames && Height == other.Height && Width == other.Width && Pixels.AsSpan().SequenceEqual(other.Pixels);

    /// <inheritdoc />
    public override string ToString() => $"VideoClip {Frames}x{Height}x{Width}x3 @ {FramesPerSecond:0.##} fps";
}
