namespace Decoupled.Video;

/// <summary>A frame size in pixels, width first (as ffmpeg and image tools write it).</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct FrameSize(int Width, int Height)
{
    /// <summary>The largest side a reader or writer accepts; larger sizes are almost always a typo.</summary>
    public const int MaxSide = 16384;

    /// <summary>True when both sides are in 1..<see cref="MaxSide"/>.</summary>
    public bool IsValid => Width is > 0 and <= MaxSide && Height is > 0 and <= MaxSide;

    /// <summary>Parses <c>WxH</c> (e.g. <c>64x64</c>) or a single number for a square.</summary>
    /// <exception cref="UserInputException">The text is not a size or a side is out of range.</exception>
    public static FrameSize Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split('x');
        int w = 0, h = 0;
        bool ok = parts.Length switch
        {
            1 => int.TryParse(parts[0], out w) && int.TryParse(parts[0], out h),
            2 => int.TryParse(parts[0], out w) && int.TryParse(parts[1], out h),
            _ => false,
        };
        var size = new FrameSize(w, h);
        if (!ok || !size.IsValid)
            throw new UserInputException($"'{text}' is not a frame size: expected WIDTHxHEIGHT with sides 1..{MaxSide}, e.g. 64x64");
        return size;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Width}x{Height}";
}
