using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Which frames of a T-frame clip a task gives, and the pseudo video built from them: every
/// missing frame repeats the last given frame before the gap (equation 10). Given frames come in
/// whole working pools of the motion encoder, so their motion tokens in the pseudo video are
/// those of the real clip (equation 12; exactly for the leading frames, whose differences never
/// reach a missing frame).
/// </summary>
public sealed record MosoTaskLayout
{
    private MosoTaskLayout(MosoTask task, bool[] given)
    {
        Task = task;
        Given = given;
    }

    /// <summary>The task.</summary>
    public MosoTask Task { get; }

    /// <summary>Per frame, whether the task gives it.</summary>
    public IReadOnlyList<bool> Given { get; }

    /// <summary>Frames per clip.</summary>
    public int Frames => Given.Count;

    /// <summary>
    /// The layout of <paramref name="task"/> on <paramref name="frames"/> frames: <paramref name="context"/>
    /// leading frames for prediction and interpolation, plus <paramref name="endFrames"/> trailing ones
    /// for interpolation. Both must be multiples of <paramref name="pool"/>, the motion encoder's working pool.
    /// </summary>
    /// <exception cref="UserInputException">The counts do not fit the clip or the pools.</exception>
    public static MosoTaskLayout Create(MosoTask task, int frames, int context, int endFrames, int pool)
    {
        var given = new bool[frames];
        if (task == MosoTask.Unconditional) return new MosoTaskLayout(task, given);
        CheckPooled(context, pool, "context frames");
        if (task == MosoTask.Interpolation) CheckPooled(endFrames, pool, "interpolation end frames");
        int end = task == MosoTask.Interpolation ? endFrames : 0;
        if (context + end >= frames)
            throw new UserInputException($"{context} context frames{(end > 0 ? $" and {end} end frames" : "")} leave nothing to generate in a {frames}-frame clip");
        for (int t = 0; t < context; t++) given[t] = true;
        for (int t = frames - end; t < frames; t++) given[t] = true;
        return new MosoTaskLayout(task, given);
    }

    private static void CheckPooled(int count, int pool, string what)
    {
        if (count < 1 || count % pool != 0)
            throw new UserInputException($"{what} must be a positive multiple of the motion encoder's working pool ({pool} frames), got {count}");
    }

    /// <summary>For each frame, the given frame the pseudo video shows there.</summary>
    public int[] PseudoSourceFrames()
    {
        var source = new int[Frames];
        int last = 0;
        for (int t = 0; t < Frames; t++)
        {
            if (Given[t]) last = t;
            source[t] = last;
        }
        return source;
    }

    /// <summary>The pseudo video of <paramref name="video"/> <c>[B, 3, T, H, W]</c>: given frames kept, the gaps filled.</summary>
    public Tensor PseudoVideo(Tensor video)
    {
        ArgumentNullException.ThrowIfNull(video);
        using var index = torch.tensor(PseudoSourceFrames().Select(i => (long)i).ToArray(), device: video.device);
        return video.index_select(2, index);
    }

    /// <summary>Per motion-token position <c>[T * perFrame]</c> (frame-major), whether its frame is given.</summary>
    public bool[] KnownMotionPositions(int perFrame) =>
        Enumerable.Range(0, Frames).SelectMany(t => Enumerable.Repeat(Given[t], perFrame)).ToArray();
}
