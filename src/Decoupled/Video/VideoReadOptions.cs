namespace Decoupled.Video;

/// <summary>
/// Which frames to read and at what size. Frames are picked as
/// <c>Start, Start + Stride, Start + 2*Stride, ...</c> (indices into the source's decoded frames),
/// <see cref="FrameCount"/> of them, or to the end when it is null.
/// </summary>
public sealed record VideoReadOptions
{
    /// <summary>Index of the first frame to return (0 = the first frame of the source).</summary>
    public int Start { get; init; }

    /// <summary>
    /// Exact number of frames to return; null reads to the end. When the source has fewer
    /// (too short, or damaged part way), reading fails and the message says how many could be read.
    /// </summary>
    public int? FrameCount { get; init; }

    /// <summary>Take every Stride-th frame (1 = every frame).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Output frame size; null keeps the source size.</summary>
    public FrameSize? Size { get; init; }

    /// <summary>How frames are brought to <see cref="Size"/>.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.CoverCrop;

    /// <summary>
    /// Frame rate for sources that carry none (frame folders); video files keep their own.
    /// The clip keeps the source rate whatever the stride, so a strided clip plays faster.
    /// </summary>
    public double FolderFramesPerSecond { get; init; } = 25;

    /// <summary>Wall-clock limit for decoding one source; ffmpeg is killed when it passes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Read everything at the source size.</summary>
    public static VideoReadOptions All { get; } = new();
}
