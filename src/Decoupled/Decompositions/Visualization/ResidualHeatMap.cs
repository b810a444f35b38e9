using Decoupled.Video;

namespace Decoupled.Decompositions.Visualization;

/// <summary>A residual (or frame difference) as a heat map: black where it is zero, through red and yellow to white.</summary>
public static class ResidualHeatMap
{
    /// <summary>
    /// Maps the mean over channels of |value| to the "hot" colour map, one output frame per input
    /// frame. Values of <paramref name="maxAbs"/> or more are white; 0 picks the video's largest |value|.
    /// </summary>
    public static VideoClip Render(SignedVideo residuals, int maxAbs = 0)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (maxAbs <= 0) maxAbs = Math.Max(1, residuals.MaxAbs());
        var clip = new VideoClip(residuals.Frames, residuals.Height, residuals.Width);
        int channels = residuals.Channels;
        long pixels = (long)residuals.Frames * residuals.Height * residuals.Width;
        for (long p = 0; p < pixels; p++)
        {
            int sum = 0;
            for (int c = 0; c < channels; c++) sum += Math.Abs((int)residuals.Values[p * channels + c]);
            var (r, g, b) = ColorMaps.Hot((double)sum / channels / maxAbs);
            clip.Pixels[p * 3] = r;
            clip.Pixels[p * 3 + 1] = g;
            clip.Pixels[p * 3 + 2] = b;
        }
        return clip;
    }
}
