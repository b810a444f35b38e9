namespace Decoupled.Video.Imaging;

/// <summary>
/// Resampling taps along one axis: output pixel i reads source pixels
/// <c>Start[i] .. Start[i] + Count[i] - 1</c> with the weights at <c>Weights[i * MaxTaps ..]</c>.
/// Built once per axis and frame size, then shared by every row and frame.
/// </summary>
internal sealed class AxisWeights
{
    public int[] Start { get; }
    public int[] Count { get; }
    public float[] Weights { get; }
    public int MaxTaps { get; }

    AxisWeights(int[] start, int[] count, float[] weights, int maxTaps)
    {
        Start = start;
        Count = count;
        Weights = weights;
        MaxTaps = maxTaps;
    }

    /// <summary>
    /// Maps the source span [<paramref name="offset"/>, offset + <paramref name="length"/>) (fractional,
    /// inside 0..<paramref name="sourceSize"/>) onto <paramref name="outputSize"/> pixels.
    /// </summary>
    public static AxisWeights Build(int sourceSize, double offset, double length, int outputSize, ResizeFilter filter)
    {
        double step = length / outputSize;
        bool area = filter == ResizeFilter.Area || (filter == ResizeFilter.Auto && step > 1);
        int maxTaps = area ? (int)Math.Ceiling(step) + 2 : 2;
        var start = new int[outputSize];
        var count = new int[outputSize];
        var weights = new float[outputSize * maxTaps];

        for (int i = 0; i < outputSize; i++)
        {
            Span<float> w = weights.AsSpan(i * maxTaps, maxTaps);
            if (area) AreaTaps(offset + i * step, offset + (i + 1) * step, sourceSize, out start[i], out count[i], w);
            else LinearTaps(offset + (i + 0.5) * step - 0.5, sourceSize, out start[i], out count[i], w);
        }
        return new AxisWeights(start, count, weights, maxTaps);
    }

    /// <summary>Weights = overlap of the output pixel's footprint [a, b) with each source pixel.</summary>
    static void AreaTaps(double a, double b, int size, out int first, out int n, Span<float> w)
    {
        first = Math.Clamp((int)Math.Floor(a), 0, size - 1);
        int last = Math.Clamp((int)Math.Ceiling(b) - 1, first, size - 1);
        n = last - first + 1;
        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            int p = first + k;
            double overlap = Math.Max(0, Math.Min(b, p + 1) - Math.Max(a, p));
            w[k] = (float)overlap;
            sum += overlap;
        }
        if (sum <= 0)
        {
            w[0] = 1;
            n = 1;
            return;
        }
        for (int k = 0; k < n; k++) w[k] = (float)(w[k] / sum);
    }

    /// <summary>Two taps around the sample centre, clamped at the edges.</summary>
    static void LinearTaps(double centre, int size, out int first, out int n, Span<float> w)
    {
        centre = Math.Clamp(centre, 0, size - 1);
        int k0 = Math.Min((int)Math.Floor(centre), size - 1);
        double f = centre - k0;
        first = k0;
        if (k0 + 1 >= size || f <= 0)
        {
            n = 1;
            w[0] = 1;
            return;
        }
        n = 2;
        w[0] = (float)(1 - f);
        w[1] = (float)f;
    }
}
