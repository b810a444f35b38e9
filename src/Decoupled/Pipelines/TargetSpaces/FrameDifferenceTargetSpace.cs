using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>
/// D-VDM's target (section "D-VDM" of the ED-VDM paper): the K-1 differences
/// <c>d[n] = v[n] - v[n-1]</c>, which lie in [-2, 2] for frames in [-1, 1], multiplied by
/// <see cref="Scale"/> (0.5 by default, so they lie in [-1, 1] like pixels; the CLI picks the
/// scale that gives them unit variance, see <see cref="UnitVarianceScale"/>). The clip is rebuilt from
/// the given first frame by cumulative sum, clamped to [-1, 1] after every frame as a decoder
/// that only ever holds valid frames would do.
/// <para>
/// The paper's prose also reads "the differences between [the first frame] and the subsequent
/// frames" while its formula takes consecutive frames; <see cref="DifferenceReference.FirstFrame"/>
/// is that reading: <c>d[n] = v[n] - v[0]</c>, decoded frame by frame as <c>v[0] + d[n]</c>, so an
/// error in one sampled difference stays in its frame instead of in every later one.
/// </para>
/// </summary>
public sealed class FrameDifferenceTargetSpace(double scale = 0.5, DifferenceReference reference = DifferenceReference.PreviousFrame)
    : IVideoTargetSpace, IDeadZoneDecoding
{
    /// <summary>Config name of the consecutive differences (the paper's formula).</summary>
    public const string PreviousFrameName = "frame-differences";

    /// <summary>Config name of the differences to the first frame.</summary>
    public const string FirstFrameName = "first-frame-differences";

    private double deadZone;

    /// <summary>What each frame is taken the difference to.</summary>
    public DifferenceReference Reference { get; } = reference;

    /// <summary>Factor applied to the differences.</summary>
    public double Scale { get; } = scale > 0 ? scale : throw new ArgumentOutOfRangeException(nameof(scale), "the difference scale must be positive");

    /// <summary>
    /// Decoding only: a pixel whose difference is smaller than this (RMS over RGB, in scaled units)
    /// does not change. 0 (the default) adds every difference.
    /// </summary>
    public double DeadZone
    {
        get => deadZone;
        set => deadZone = DeadZoneMask.Validated(value);
    }

    /// <inheritdoc />
    public string Name => Reference == DifferenceReference.FirstFrame ? FirstFrameName : PreviousFrameName;

    /// <inheritdoc />
    public int TargetChannels => 3;

    /// <inheritdoc />
    public int TargetFrames(int frames) => frames - 1;

    /// <inheritdoc />
    public double SampleRange => 2.0 * Scale;

    /// <summary>
    /// A scale that gives the differences of <paramref name="video"/> (clips in [-1, 1]) unit
    /// standard deviation, rounded to two significant digits, as latent diffusion scales its
    /// latents. Frame differences are sparse (zero wherever nothing moves): on the shapes clips
    /// their standard deviation is about 0.05, and at the paper's "about [-1, 1]" scale the signal
    /// is buried under the noise at almost every timestep, so the model learns little but "predict 0".
    /// </summary>
    public static double UnitVarianceScale(Tensor video, DifferenceReference reference = DifferenceReference.PreviousFrame)
    {
        ArgumentNullException.ThrowIfNull(video);
        using var scope = NewDisposeScope();
        double std = Differences(video, reference).to(ScalarType.Float64).std().item<double>();
        if (!(std > 1e-6)) return 1.0;
        double scale = 1.0 / std;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(scale)) - 1);
        return Math.Round(scale / magnitude) * magnitude;
    }

    /// <inheritdoc />
    public Tensor Encode(Tensor video)
    {
        using var scope = NewDisposeScope();
        return (Differences(video, Reference) * Scale).MoveToOuterDisposeScope();
    }

    // v[n] - v[n-1] or v[n] - v[0] for n = 1 .. K-1, unscaled.
    private static Tensor Differences(Tensor video, DifferenceReference reference)
    {
        long k = video.shape[2];
        if (k < 2) throw new ArgumentException($"frame differences need at least 2 frames, got {k}");
        var later = video.narrow(2, 1, k - 1);
        var earlier = reference == DifferenceReference.FirstFrame ? video.narrow(2, 0, 1) : video.narrow(2, 0, k - 1);
        return later - earlier;
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor target, Tensor firstFrame)
    {
        using var scope = NewDisposeScope();
        var frames = new List<Tensor> { firstFrame };
        var current = firstFrame;
        for (long n = 0; n < target.shape[2]; n++)
        {
            var difference = target.select(2, n);
            if (deadZone > 0) difference = difference * DeadZoneMask.KeepMask(difference, deadZone);
            var start = Reference == DifferenceReference.FirstFrame ? firstFrame : current;
            current = (start + difference / Scale).clamp(-1, 1);
            frames.Add(current);
        }
        return stack(frames, 2).MoveToOuterDisposeScope();
    }
}

/// <summary>What D-VDM's frame differences are taken against.</summary>
public enum DifferenceReference
{
    /// <summary><c>v[n] - v[n-1]</c>: the paper's formula; decoded by cumulative sum.</summary>
    PreviousFrame,

    /// <summary><c>v[n] - v[0]</c>: the paper's prose; each frame decoded from the first alone.</summary>
    FirstFrame,
}
