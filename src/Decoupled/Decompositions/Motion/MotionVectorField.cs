namespace Decoupled.Decompositions;

/// <summary>
/// One integer-pel motion vector per macroblock per P-frame, <c>[T-1, By, Bx, 2]</c> with the
/// pair stored as (dx, dy): 256x fewer numbers than pixels for 16x16 blocks.
/// Sign convention (as in H.264): the vector points from the current block to its match in the
/// previous frame, so the prediction of current pixel (x, y) is previous pixel (x+dx, y+dy).
/// Content moving right by 3 pixels per frame therefore has dx = -3.
/// </summary>
public sealed class MotionVectorField
{
    /// <summary>Wraps existing vectors, which must hold exactly frames*By*Bx*2 values.</summary>
    public MotionVectorField(int frames, int height, int width, int blockSize, short[] vectors)
    {
        if (frames <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(frames), $"size must be positive, got {frames}x{height}x{width}");
        if (blockSize is not (4 or 8 or 16))
            throw new UserInputException($"block size must be 4, 8 or 16, got {blockSize}");
        Frames = frames;
        Height = height;
        Width = width;
        BlockSize = blockSize;
        BlocksY = (height + blockSize - 1) / blockSize;
        BlocksX = (width + blockSize - 1) / blockSize;
        if (vectors.LongLength != (long)frames * BlocksY * BlocksX * 2)
            throw new ArgumentException($"expected {(long)frames * BlocksY * BlocksX * 2} values for {frames}x{BlocksY}x{BlocksX}x2 vectors, got {vectors.LongLength}", nameof(vectors));
        Vectors = vectors;
    }

    /// <summary>An all-zero field for P-frames of the given size.</summary>
    public MotionVectorField(int frames, int height, int width, int blockSize)
        : this(frames, height, width, blockSize, new short[(long)frames * ((height + blockSize - 1) / blockSize) * ((width + blockSize - 1) / blockSize) * 2]) { }

    /// <summary>Number of P-frames (clip frames minus one).</summary>
    public int Frames { get; }

    /// <summary>Frame height in pixels (unpadded).</summary>
    public int Height { get; }

    /// <summary>Frame width in pixels (unpadded).</summary>
    public int Width { get; }

    /// <summary>Macroblock side in pixels.</summary>
    public int BlockSize { get; }

    /// <summary>Block rows: ceil(Height / BlockSize).</summary>
    public int BlocksY { get; }

    /// <summary>Block columns: ceil(Width / BlockSize).</summary>
    public int BlocksX { get; }

    /// <summary>All vectors, <c>[T-1, By, Bx, 2]</c>, each pair (dx, dy).</summary>
    public short[] Vectors { get; }

    /// <summary>The vector of block (by, bx) of P-frame t (t = 0 predicts clip frame 1 from frame 0).</summary>
    public (int Dx, int Dy) this[int t, int by, int bx]
    {
        get
        {
            int i = Index(t, by, bx);
            return (Vectors[i], Vectors[i + 1]);
        }
        set
        {
            int i = Index(t, by, bx);
            Vectors[i] = checked((short)value.Dx);
            Vectors[i + 1] = checked((short)value.Dy);
        }
    }

    /// <summary>
    /// The per-pixel form <c>[T-1, H, W, 2]</c> (channels dx, dy): every pixel carries its block's
    /// vector. This is the dense layout ED-VDM concatenates with residual latents.
    /// </summary>
    public SignedVideo ToDense()
    {
        var dense = new SignedVideo(Frames, Height, Width, 2);
        Parallel.For(0, Frames, t =>
        {
            var frame = dense.Frame(t);
            for (int y = 0; y < Height; y++)
            {
                int by = y / BlockSize;
                var row = frame.Slice(y * Width * 2, Width * 2);
                for (int x = 0; x < Width; x++)
                {
                    int i = Index(t, by, x / BlockSize);
                    row[2 * x] = Vectors[i];
                    row[2 * x + 1] = Vectors[i + 1];
                }
            }
        });
        return dense;
    }

    /// <summary>Fraction of blocks whose vector is (0, 0).</summary>
    public double ZeroVectorFraction()
    {
        long zeros = 0;
        for (int i = 0; i < Vectors.Length; i += 2)
            if (Vectors[i] == 0 && Vectors[i + 1] == 0) zeros++;
        return (double)zeros / (Vectors.Length / 2);
    }

    /// <summary>Mean Euclidean length of the vectors, in pixels.</summary>
    public double MeanMagnitude()
    {
        double sum = 0;
        for (int i = 0; i < Vectors.Length; i += 2)
            sum += Math.Sqrt(Vectors[i] * Vectors[i] + Vectors[i + 1] * Vectors[i + 1]);
        return sum / (Vectors.Length / 2);
    }

    /// <summary>True when both fields have the same geometry and vectors.</summary>
    public bool ContentEquals(MotionVectorField other) =>
        Frames == other.Frames && Height == other.Height && Width == other.Width && BlockSize == other.BlockSize &&
        Vectors.AsSpan().SequenceEqual(other.Vectors);

    private int Index(int t, int by, int bx)
    {
        if ((uint)t >= (uint)Frames || (uint)by >= (uint)BlocksY || (uint)bx >= (uint)BlocksX)
            throw new ArgumentOutOfRangeException(nameof(t), $"block ({t}, {by}, {bx}) outside a {Frames}x{BlocksY}x{BlocksX} field");
        return ((t * BlocksY + by) * BlocksX + bx) * 2;
    }

    /// <inheritdoc />
    public override string ToString() => $"MotionVectorField {Frames}x{BlocksY}x{BlocksX}x2 ({BlockSize}px blocks, {Height}x{Width})";
}
