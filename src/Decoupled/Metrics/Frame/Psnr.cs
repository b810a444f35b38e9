using Decoupled.Video;

namespace Decoupled.Metrics.Frame;

/// <summary>
/// Peak signal-to-noise ratio on 8-bit frames: <c>10 log10(255^2 / MSE)</c> with the MSE taken over
/// all pixels and channels of one frame; a clip's PSNR is the mean of its frames' PSNR, and a set's
/// the mean over clips (the protocol of the papers' prediction tables).
/// </summary>
public static class Psnr
{
    /// <summary>PSNR reported for identical frames (MSE = 0), so that averages stay finite.</summary>
    public const double MaxDecibels = 100.0;

    /// <summary>PSNR of two equally sized 8-bit frames (or any two byte buffers of equal length).</summary>
    public static double Frame(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> distorted)
    {
        if (reference.Length != distorted.Length)
            throw new ArgumentException($"frames differ in size: {reference.Length} vs {distorted.Length} bytes");
        if (reference.Length == 0) throw new ArgumentException("empty frame");
        long sum = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            int d = reference[i] - distorted[i];
            sum += d * d;
        }
        return FromMse((double)sum / reference.Length);
    }

    /// <summary>PSNR in dB for a mean squared error on the 0..255 scale, capped at <see cref="MaxDecibels"/>.</summary>
    public static double FromMse(double mse) =>
        mse <= 0 ? MaxDecibels : Math.Min(MaxDecibels, 10.0 * Math.Log10(255.0 * 255.0 / mse));

    /// <summary>PSNR of every frame of two clips of the same size.</summary>
    public static double[] PerFrame(VideoClip reference, VideoClip distorted)
    {
        FrameMetric.CheckSameSize(reference, distorted);
        var result = new double[reference.Frames];
        for (int t = 0; t < result.Length; t++) result[t] = Frame(reference.Frame(t), distorted.Frame(t));
        return result;
    }

    /// <summary>Mean PSNR over the frames of a clip.</summary>
    public static double Clip(VideoClip reference, VideoClip distorted) => PerFrame(reference, distorted).Average();
}
