using Decoupled.Video;

namespace Decoupled.Metrics.Frame;

/// <summary>
/// Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004) with the paper's settings:
/// an 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, dynamic range 255, population
/// (not sample) statistics, the SSIM map averaged over the positions where the window fits
/// entirely inside the frame, then over the three channels. This matches scikit-image's
/// <c>structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)</c>.
/// </summary>
public static class Ssim
{
    /// <summary>Window side in pixels.</summary>
    public const int WindowSize = 11;

    /// <summary>Standard deviation of the Gaussian window.</summary>
    public const double Sigma = 1.5;

    private const double C1 = 0.01 * 255 * 0.01 * 255;
    private const double C2 = 0.03 * 255 * 0.03 * 255;

    private static readonly double[] Kernel = MakeKernel();

    /// <summary>SSIM of two interleaved RGB frames of size height x width, mean over channels.</summary>
    public static double Frame(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> distorted, int height, int width, int channels = VideoClip.Channels)
    {
        if (height < WindowSize || width < WindowSize)
            throw new ArgumentException($"SSIM needs frames of at least {WindowSize}x{WindowSize} pixels, got {width}x{height}");
        long expected = (long)height * width * channels;
        if (reference.Length != expected || distorted.Length != expected)
            throw new ArgumentException($"expected {expected} bytes per frame, got {reference.Length} and {distorted.Length}");
        double total = 0;
        for (int c = 0; c < channels; c++) total += Channel(reference, distorted, height, width, channels, c);
        return total / channels;
    }

    /// <summary>SSIM of every frame of two clips of the same size.</summary>
    public static double[] PerFrame(VideoClip reference, VideoClip distorted)
    {
        FrameMetric.CheckSameSize(reference, distorted);
        var result = new double[reference.Frames];
        Parallel.For(0, reference.Frames, t =>
            result[t] = Frame(reference.Frame(t), distorted.Frame(t), reference.Height, reference.Width));
        return result;
    }

    /// <summary>Mean SSIM over the frames of a clip.</summary>
    public static double Clip(VideoClip reference, VideoClip distorted) => PerFrame(reference, distorted).Average();

    private static double Channel(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, int height, int width, int channels, int c)
    {
        int outH = height - WindowSize + 1, outW = width - WindowSize + 1;
        // Five separable Gaussian filters (valid region): E[x], E[y], E[x^2], E[y^2], E[xy].
        var rows = new double[5][];
        for (int k = 0; k < 5; k++) rows[k] = new double[height * outW];
        for (int r = 0; r < height; r++)
        {
            for (int j = 0; j < outW; j++)
            {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < WindowSize; k++)
                {
                    int i = (r * width + j + k) * channels + c;
                    double w = Kernel[k], a = x[i], b = y[i];
                    mx += w * a; my += w * b; mxx += w * a * a; myy += w * b * b; mxy += w * a * b;
                }
                int o = r * outW + j;
                rows[0][o] = mx; rows[1][o] = my; rows[2][o] = mxx; rows[3][o] = myy; rows[4][o] = mxy;
            }
        }
        double sum = 0;
        for (int r = 0; r < outH; r++)
        {
            for (int j = 0; j < outW; j++)
            {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < WindowSize; k++)
                {
                    int o = (r + k) * outW + j;
                    double w = Kernel[k];
                    mx += w * rows[0][o]; my += w * rows[1][o]; mxx += w * rows[2][o]; myy += w * rows[3][o]; mxy += w * rows[4][o];
                }
                double vx = mxx - mx * mx, vy = myy - my * my, cxy = mxy - mx * my;
                sum += (2 * mx * my + C1) * (2 * cxy + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            }
        }
        return sum / (outH * outW);
    }

    private static double[] MakeKernel()
    {
        var k = new double[WindowSize];
        double total = 0;
        for (int i = 0; i < WindowSize; i++)
        {
            double d = i - WindowSize / 2;
            k[i] = Math.Exp(-d * d / (2 * Sigma * Sigma));
            total += k[i];
        }
        for (int i = 0; i < WindowSize; i++) k[i] /= total;
        return k;
    }
}
