namespace Decoupled.Video;

/// <summary>What a video file or frame folder holds, read without decoding the frames.</summary>
/// <param name="Path">The file or folder that was probed.</param>
/// <param name="Width">Frame width in pixels as frames are decoded (after the display rotation).</param>
/// <param name="Height">Frame height in pixels as frames are decoded.</param>
/// <param name="FrameCount">Number of frames (see <paramref name="FrameCountIsExact"/>).</param>
/// <param name="FramesPerSecond">Frame rate; 25 for frame folders unless a caller says otherwise.</param>
/// <param name="DurationSeconds">Duration in seconds (FrameCount / FramesPerSecond when the container has none).</param>
/// <param name="Format">Container (e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>, <c>gif</c>) or <c>frames</c> for a frame folder.</param>
/// <param name="Codec">Video codec (e.g. <c>h264</c>), or the image type of a frame folder.</param>
/// <param name="FrameCountIsExact">
/// False when the count is estimated from duration x fps because the container states no frame
/// count; reading may then yield a few frames more or fewer.
/// </param>
public sealed record VideoInfo(
    string Path,
    int Width,
    int Height,
    int FrameCount,
    double FramesPerSecond,
    double DurationSeconds,
    string Format,
    string Codec,
    bool FrameCountIsExact)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{System.IO.Path.GetFileName(Path)}: {Width}x{Height}, {(FrameCountIsExact ? "" : "~")}{FrameCount} frames @ {FramesPerSecond:0.##} fps, {DurationSeconds:0.##} s ({Codec}, {Format})";
}
