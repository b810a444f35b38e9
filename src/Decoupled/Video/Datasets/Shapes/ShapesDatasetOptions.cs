using System.Globalization;

namespace Decoupled.Video.Datasets.Shapes;

/// <summary>What to generate: how many clips, their size and the seed that fixes every byte.</summary>
public sealed record ShapesDatasetOptions
{
    /// <summary>Smallest frame side accepted: below it the objects would be a few pixels.</summary>
    public const int MinSide = 16;

    /// <summary>Largest frame side accepted.</summary>
    public const int MaxSide = 4096;

    /// <summary>Fewest frames accepted: a motion needs two (bounce needs three to be recognisable).</summary>
    public const int MinFrames = 2;

    /// <summary>Most frames accepted.</summary>
    public const int MaxFrames = 4096;

    /// <summary>Frame rate stamped on the clips unless told otherwise.</summary>
    public const double DefaultFramesPerSecond = 10;

    /// <summary>Number of clips (at least 1).</summary>
    public int Count { get; init; } = 1000;

    /// <summary>Frames per clip, <see cref="MinFrames"/>..<see cref="MaxFrames"/>.</summary>
    public int Frames { get; init; } = 16;

    /// <summary>Frame height in pixels, <see cref="MinSide"/>..<see cref="MaxSide"/>.</summary>
    public int Height { get; init; } = 64;

    /// <summary>Frame width in pixels, <see cref="MinSide"/>..<see cref="MaxSide"/>.</summary>
    public int Width { get; init; } = 64;

    /// <summary>Seed that fixes every clip: the same options give identical bytes on every run and machine.</summary>
    public ulong Seed { get; init; }

    /// <summary>Frame rate stamped on the clips (used when they are written as video).</summary>
    public double FramesPerSecond { get; init; } = DefaultFramesPerSecond;

    /// <summary>Checks every field.</summary>
    /// <exception cref="UserInputException">A field is out of range; the message names it and the allowed range.</exception>
    public void Validate()
    {
        if (Count < 1)
            throw new UserInputException(Invariant($"shapes dataset: count must be at least 1, got {Count}"));
        ValidateClipSize(Frames, Height, Width);
        if (!double.IsFinite(FramesPerSecond) || FramesPerSecond <= 0)
            throw new UserInputException(Invariant($"shapes dataset: frames per second must be positive, got {FramesPerSecond}"));
    }

    /// <summary>Checks a clip size against the accepted ranges.</summary>
    /// <exception cref="UserInputException">The frame count or a side is out of range.</exception>
    public static void ValidateClipSize(int frames, int height, int width)
    {
        if (frames < MinFrames || frames > MaxFrames)
            throw new UserInputException(Invariant($"shapes dataset: frames must be in {MinFrames}..{MaxFrames}, got {frames}"));
        if (height < MinSide || height > MaxSide || width < MinSide || width > MaxSide)
            throw new UserInputException(Invariant($"shapes dataset: frame size must be in {MinSide}..{MaxSide} pixels per side, got {width}x{height} (WxH)"));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
