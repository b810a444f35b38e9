namespace Decoupled.Decompositions;

/// <summary>
/// Signed 16-bit samples in <c>[T, H, W, C]</c> order: frame differences, motion-compensated
/// residuals and MOSO motion videos. Bytes cannot hold a difference of two bytes, shorts can.
/// </summary>
public sealed class SignedVideo
{
    /// <summary>Wraps existing samples, which must hold exactly T*H*W*C values.</summary>
    public SignedVideo(int frames, int height, int width, int channels, short[] values)
    {
        if (frames <= 0 || height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(frames), $"size must be positive, got {frames}x{height}x{width}x{channels}");
        if (values.LongLength != (long)frames * height * width * channels)
            throw new ArgumentException($"expected {(long)frames * height * width * channels} values for {frames}x{height}x{width}x{channels}, got {values.LongLength}", nameof(values));
        Frames = frames;
        Height = height;
        Width = width;
        Channels = channels;
        Values = values;
    }

    /// <summary>Creates an all-zero video of the given size.</summary>
    public SignedVideo(int frames, int height, int width, int channels)
        : this(frames, height, width, channels, new short[(long)frames * height * width * channels]) { }

    /// <summary>Number of frames T.</summary>
    public int Frames { get; }

    /// <summary>Height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Channels per pixel C.</summary>
    public int Channels { get; }

    /// <summary>All samples, <c>[T, H, W, C]</c>, row-major.</summary>
    public short[] Values { get; }

    /// <summary>Samples in one frame (H*W*C).</summary>
    public int FrameSize => Height * Width * Channels;

    /// <summary>The samples of frame <paramref name="t"/>, <c>[H, W, C]</c>.</summary>
    public Span<short> Frame(int t)
    {
        if ((uint)t >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(t), $"frame {t} of a {Frames}-frame video");
        return Values.AsSpan(t * FrameSize, FrameSize);
    }

    /// <summary>Sample at frame t, row y, column x, channel c.</summary>
    public short this[int t, int y, int x, int c]
    {
        get => Values[((t * Height + y) * Width + x) * Channels + c];
        set => Values[((t * Height + y) * Width + x) * Channels + c] = value;
    }

    /// <summary>Mean of |value| over every sample: the figure reports call mean_abs_residual.</summary>
    public double MeanAbs()
    {
        long sum = 0;
        foreach (var v in Values) sum += Math.Abs((int)v);
        return (double)sum / Values.LongLength;
    }

    /// <summary>Largest |value| over every sample.</summary>
    public int MaxAbs()
    {
        int max = 0;
        foreach (var v in Values) max = Math.Max(max, Math.Abs((int)v));
        return max;
    }

    /// <summary>True when both have the same size and identical samples.</summary>
    public bool ContentEquals(SignedVideo other) =>
        Frames == other.Frames && Height == other.Height && Width == other.Width && Channels == other.Channels &&
        Values.AsSpan().SequenceEqual(other.Values);

    /// <inheritdoc />
    public override string ToString() => $"SignedVideo {Frames}x{Height}x{Width}x{Channels}";
}
