using Decoupled.Decompositions;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>
/// The paper's DCT baseline for residual compression (Table 5): each b x b block of a residual
/// frame goes through an orthonormal 2D DCT-II per channel, only the lowest-frequency coefficients
/// are kept (zigzag order, handed out to the channels in turn, <c>coefficients</c> per block in
/// all, the budget of a latent with as many channels on the block grid), and the inverse DCT
/// rebuilds the block, rounded and clamped to [-255, 255].
/// </summary>
public sealed class BlockDct
{
    private readonly int block;
    private readonly double[,] basis;
    private readonly (int U, int V)[] zigzag;

    /// <summary>A transform for <paramref name="blockSize"/> x <paramref name="blockSize"/> blocks.</summary>
    public BlockDct(int blockSize)
    {
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), "block size must be positive");
        block = blockSize;
        basis = new double[blockSize, blockSize];
        for (int k = 0; k < blockSize; k++)
            for (int n = 0; n < blockSize; n++)
                basis[k, n] = Math.Sqrt((k == 0 ? 1.0 : 2.0) / blockSize) * Math.Cos(Math.PI * (2 * n + 1) * k / (2.0 * blockSize));
        zigzag = Enumerable.Range(0, blockSize * blockSize)
            .Select(i => (U: i / blockSize, V: i % blockSize))
            .OrderBy(p => p.U + p.V).ThenBy(p => (p.U + p.V) % 2 == 0 ? p.V : p.U)
            .ToArray();
    }

    /// <summary>
    /// <paramref name="residuals"/> with every block reduced to <paramref name="coefficients"/> DCT coefficients
    /// (over all channels); frame edges that do not fill a block are treated as a smaller block's zero padding.
    /// </summary>
    public SignedVideo Compress(SignedVideo residuals, int coefficients)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (coefficients < 1) throw new ArgumentOutOfRangeException(nameof(coefficients), "keep at least one coefficient");
        int channels = residuals.Channels;
        var keep = Kept(coefficients, channels);

        var output = new SignedVideo(residuals.Frames, residuals.Height, residuals.Width, channels);
        int blocksY = (residuals.Height + block - 1) / block, blocksX = (residuals.Width + block - 1) / block;
        Parallel.For(0, residuals.Frames * blocksY, job =>
        {
            int t = job / blocksY, by = job % blocksY;
            var pixels = new double[block, block];
            var spectrum = new double[block, block];
            var kept = new double[channels, block, block];
            for (int bx = 0; bx < blocksX; bx++)
            {
                Array.Clear(kept);
                for (int c = 0; c < channels; c++)
                {
                    Load(residuals, t, by, bx, c, pixels);
                    Forward(pixels, spectrum);
                    foreach (var (channel, u, v) in keep)
                        if (channel == c) kept[c, u, v] = spectrum[u, v];
                }
                for (int c = 0; c < channels; c++)
                {
                    for (int u = 0; u < block; u++)
                        for (int v = 0; v < block; v++)
                            spectrum[u, v] = kept[c, u, v];
                    Inverse(spectrum, pixels);
                    Store(output, t, by, bx, c, pixels);
                }
            }
        });
        return output;
    }

    /// <summary>
    /// The kept coefficients as a linear map <c>[coefficients, channels * b * b]</c> from a block
    /// flattened channel-major (<c>c * b * b + y * b + x</c>, the order of a space-to-depth), whose
    /// rows are orthonormal: its transpose maps coefficients back to the block (before rounding).
    /// </summary>
    public double[,] Projection(int coefficients, int channels)
    {
        if (coefficients < 1 || coefficients > channels * block * block)
            throw new ArgumentOutOfRangeException(nameof(coefficients), coefficients, $"keep between 1 and {channels * block * block} coefficients");
        var keep = Kept(coefficients, channels);
        var matrix = new double[keep.Count, channels * block * block];
        for (int k = 0; k < keep.Count; k++)
        {
            var (c, u, v) = keep[k];
            for (int y = 0; y < block; y++)
                for (int x = 0; x < block; x++)
                    matrix[k, c * block * block + y * block + x] = basis[u, y] * basis[v, x];
        }
        return matrix;
    }

    // Lowest frequencies first (zigzag), handed out to the channels in turn.
    private List<(int Channel, int U, int V)> Kept(int coefficients, int channels)
    {
        var keep = new List<(int Channel, int U, int V)>();
        for (int i = 0; keep.Count < coefficients && i < zigzag.Length; i++)
            for (int c = 0; c < channels && keep.Count < coefficients; c++)
                keep.Add((c, zigzag[i].U, zigzag[i].V));
        return keep;
    }

    private void Load(SignedVideo video, int t, int by, int bx, int c, double[,] pixels)
    {
        for (int y = 0; y < block; y++)
            for (int x = 0; x < block; x++)
            {
                int py = by * block + y, px = bx * block + x;
                pixels[y, x] = py < video.Height && px < video.Width ? video[t, py, px, c] : 0;
            }
    }

    private void Store(SignedVideo video, int t, int by, int bx, int c, double[,] pixels)
    {
        var frame = video.Frame(t);
        for (int y = 0; y < block; y++)
            for (int x = 0; x < block; x++)
            {
                int py = by * block + y, px = bx * block + x;
                if (py < video.Height && px < video.Width)
                    frame[(py * video.Width + px) * video.Channels + c] = (short)Math.Clamp(Math.Round(pixels[y, x]), -255, 255);
            }
    }

    // X = B P B^T (rows, then columns).
    private void Forward(double[,] pixels, double[,] spectrum) => Transform(pixels, spectrum, transpose: false);

    // P = B^T X B.
    private void Inverse(double[,] spectrum, double[,] pixels) => Transform(spectrum, pixels, transpose: true);

    private void Transform(double[,] input, double[,] output, bool transpose)
    {
        var temp = new double[block, block];
        for (int i = 0; i < block; i++)
            for (int j = 0; j < block; j++)
            {
                double sum = 0;
                for (int k = 0; k < block; k++) sum += (transpose ? basis[k, i] : basis[i, k]) * input[k, j];
                temp[i, j] = sum;
            }
        for (int i = 0; i < block; i++)
            for (int j = 0; j < block; j++)
            {
                double sum = 0;
                for (int k = 0; k < block; k++) sum += temp[i, k] * (transpose ? basis[k, j] : basis[j, k]);
                output[i, j] = sum;
            }
    }
}
