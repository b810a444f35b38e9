using Decoupled.Decompositions;
using Decoupled.Video;

namespace Decoupled.Tests.Decompositions;

public class BlockMotionTests
{
    public static TheoryData<int, int, int, int, MotionSearch, bool> RoundTripCases() => new()
    {
        // frames, height, width, block, search, textured (else random)
        { 8, 32, 32, 16, MotionSearch.Exhaustive, false },
        { 8, 32, 32, 16, MotionSearch.Diamond, false },
        { 5, 37, 45, 16, MotionSearch.Exhaustive, true },
        { 5, 37, 45, 16, MotionSearch.Diamond, true },
        { 4, 29, 35, 8, MotionSearch.Exhaustive, true },
        { 4, 29, 35, 8, MotionSearch.Diamond, false },
        { 3, 13, 11, 4, MotionSearch.Exhaustive, true },
        { 2, 5, 7, 16, MotionSearch.Exhaustive, false },
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void RoundTripIsBitExact(int frames, int height, int width, int blockSize, MotionSearch search, bool textured)
    {
        var clip = textured
            ? TestClips.GlobalTranslation(frames, height, width, 2, -1, seed: height)
            : TestClips.Random(frames, height, width, seed: width);
        var bm = new BlockMotion(new BlockMotionOptions { BlockSize = blockSize, Search = search, SearchRange = 7 });
        var parts = bm.Decompose(clip);
        Assert.Equal(frames - 1, parts.Residuals.Frames);
        Assert.Equal((height + blockSize - 1) / blockSize, parts.MotionVectors.BlocksY);
        Assert.InRange(parts.Residuals.MaxAbs(), 0, 255);
        Assert.True(bm.Reconstruct(parts).ContentEquals(clip));
    }

    [Theory]
    [InlineData(3, -2, 16)]
    [InlineData(-5, 4, 16)]
    [InlineData(16, 0, 16)]
    [InlineData(-1, -7, 8)]
    public void GlobalTranslationIsRecoveredExactlyInInteriorBlocks(int dx, int dy, int blockSize)
    {
        const int size = 96;
        var clip = TestClips.GlobalTranslation(4, size, size, dx, dy, seed: 5);
        var parts = new BlockMotion(new BlockMotionOptions { BlockSize = blockSize }).Decompose(clip);
        var field = parts.MotionVectors;
        int interior = 0;
        for (int t = 0; t < field.Frames; t++)
            for (int by = 0; by < field.BlocksY; by++)
                for (int bx = 0; bx < field.BlocksX; bx++)
                {
                    int x = bx * blockSize + dx, y = by * blockSize + dy;
                    if (x < 0 || y < 0 || x + blockSize > size || y + blockSize > size) continue; // match leaves the frame
                    interior++;
                    Assert.Equal((dx, dy), field[t, by, bx]);
                    for (int r = 0; r < blockSize; r++)
                        for (int c = 0; c < blockSize * 3; c++)
                            Assert.Equal(0, parts.Residuals.Values[(t * size + by * blockSize + r) * size * 3 + bx * blockSize * 3 + c]);
                }
        Assert.True(interior >= field.Frames * 4, $"only {interior} interior blocks");
    }

    [Fact]
    public void FlatClipHasOnlyZeroVectors()
    {
        // Every candidate ties at SAD 0; the tie rule must pick (0, 0).
        var clip = new VideoClip(3, 48, 48);
        Array.Fill(clip.Pixels, (byte)90);
        foreach (var search in new[] { MotionSearch.Exhaustive, MotionSearch.Diamond })
        {
            var field = new BlockMotion(new BlockMotionOptions { Search = search }).EstimateMotion(clip);
            Assert.All(field.Vectors, v => Assert.Equal(0, v));
        }
    }

    [Fact]
    public void EveryKernelFindsTheSameVectors()
    {
        var clip = TestClips.GlobalTranslation(3, 40, 56, 3, 2, seed: 9);
        var noisy = clip.Clone();
        new Random(1).NextBytes(noisy.Pixels.AsSpan(0, 2000)); // break exact matches so SADs differ per candidate
        foreach (var blockSize in new[] { 4, 8, 16 })
            foreach (var search in new[] { MotionSearch.Exhaustive, MotionSearch.Diamond })
            {
                MotionVectorField Run(SadKernel k) =>
                    new BlockMotion(new BlockMotionOptions { BlockSize = blockSize, Search = search, Kernel = k, SearchRange = 5 }).EstimateMotion(noisy);
                var reference = Run(SadKernel.Scalar);
                foreach (var kernel in new[] { SadKernel.Avx512, SadKernel.Avx2, SadKernel.Vector128 })
                    Assert.True(Run(kernel).ContentEquals(reference), $"{kernel}, {blockSize}px, {search}");
            }
    }

    [Theory]
    [InlineData(8, 4)]
    [InlineData(16, 6)]
    public void ExhaustiveSearchFindsTheMinimumSadWithTheTieRule(int b, int range)
    {
        // Brute force over the window with a scalar SAD and the documented preference order.
        // Coarsely quantised frames make many candidates tie, so the tie rule is exercised.
        int size = 3 * b;
        var clip = TestClips.Random(2, size, size, seed: 3);
        for (int i = 0; i < clip.FrameSize; i++) clip.Pixels[i] = (byte)(clip.Pixels[i] / 128 * 128);
        for (int i = 0; i < clip.FrameSize; i++) clip.Pixels[clip.FrameSize + i] = (byte)(clip.Pixels[clip.FrameSize + i] / 128 * 128);
        var field = new BlockMotion(new BlockMotionOptions { BlockSize = b, SearchRange = range }).EstimateMotion(clip);
        for (int by = 0; by < 3; by++)
            for (int bx = 0; bx < 3; bx++)
            {
                (int Sad, int L1, int Dy, int Dx) best = (int.MaxValue, 0, 0, 0);
                for (int dy = -range; dy <= range; dy++)
                    for (int dx = -range; dx <= range; dx++)
                    {
                        int x = bx * b + dx, y = by * b + dy;
                        if (x < 0 || y < 0 || x + b > size || y + b > size) continue;
                        int sad = 0;
                        for (int r = 0; r < b; r++)
                            for (int c = 0; c < b; c++)
                                for (int ch = 0; ch < 3; ch++)
                                    sad += Math.Abs(clip[1, by * b + r, bx * b + c, ch] - clip[0, y + r, x + c, ch]);
                        var candidate = (sad, Math.Abs(dx) + Math.Abs(dy), dy, dx);
                        if (candidate.CompareTo(best) < 0) best = candidate;
                    }
                Assert.Equal((best.Dx, best.Dy), field[0, by, bx]);
            }
    }

    [Fact]
    public void DenseFieldIsPerBlockVectorsExpanded()
    {
        var clip = TestClips.GlobalTranslation(3, 37, 50, -3, 1, seed: 2);
        new Random(4).NextBytes(clip.Pixels.AsSpan(clip.FrameSize, 600));
        var field = new BlockMotion(new BlockMotionOptions { BlockSize = 8 }).EstimateMotion(clip);
        var dense = field.ToDense();
        Assert.Equal((2, 37, 50, 2), (dense.Frames, dense.Height, dense.Width, dense.Channels));
        bool anyNonZero = false;
        for (int t = 0; t < 2; t++)
            for (int y = 0; y < 37; y++)
                for (int x = 0; x < 50; x++)
                {
                    var (vx, vy) = field[t, y / 8, x / 8];
                    Assert.Equal(vx, dense[t, y, x, 0]);
                    Assert.Equal(vy, dense[t, y, x, 1]);
                    anyNonZero |= vx != 0;
                }
        Assert.True(anyNonZero);
    }

    [Fact]
    public void SearchesAreNeverWorseThanTheZeroVector()
    {
        // Block-wise L1 of the residual never exceeds that of the plain frame difference, and
        // exhaustive never loses to diamond. Sizes are whole blocks so residual L1 equals search SAD.
        var clip = TestClips.MovingSquare(6, 64, 80, 20, 5, 8, 6, 3, (220, 30, 40), seed: 8);
        new Random(2).NextBytes(clip.Pixels.AsSpan(3 * clip.FrameSize, 3000)); // some content no vector explains
        var zero = new FrameDifference().Decompose(clip).Differences;
        var diamond = new BlockMotion(new BlockMotionOptions { Search = MotionSearch.Diamond }).Decompose(clip).Residuals;
        var exhaustive = new BlockMotion().Decompose(clip).Residuals;
        bool diamondHelped = false;
        for (int t = 0; t < 5; t++)
            for (int by = 0; by < 4; by++)
                for (int bx = 0; bx < 5; bx++)
                {
                    long z = BlockL1(zero, t, by, bx), d = BlockL1(diamond, t, by, bx), e = BlockL1(exhaustive, t, by, bx);
                    Assert.True(d <= z, $"diamond {d} > zero {z} at {t},{by},{bx}");
                    Assert.True(e <= d, $"exhaustive {e} > diamond {d} at {t},{by},{bx}");
                    diamondHelped |= d < z;
                }
        Assert.True(diamondHelped);
        Assert.True(exhaustive.MeanAbs() < zero.MeanAbs());
    }

    [Fact]
    public void AVectorCostMakesTheBlocksInsideAFlatMovingObjectFollowItsEdge()
    {
        // A flat 32x32 square moving 2 pixels right a frame over a flat background. Inside it every
        // block matches at SAD 0 both where the square came from and in place: the plain search
        // keeps those blocks still, the rate-constrained one gives them the square's motion.
        var clip = new VideoClip(3, 64, 64);
        for (int t = 0; t < 3; t++)
            for (int y = 16; y < 48; y++)
                for (int x = 8 + 2 * t; x < 40 + 2 * t; x++)
                    (clip[t, y, x, 0], clip[t, y, x, 1], clip[t, y, x, 2]) = ((byte)200, (byte)50, (byte)50);
        var plain = new BlockMotion(new BlockMotionOptions { BlockSize = 8, SearchRange = 4 });
        var costed = new BlockMotion(new BlockMotionOptions { BlockSize = 8, SearchRange = 4, VectorCost = 16 });
        var plainField = plain.EstimateMotion(clip);
        var field = costed.EstimateMotion(clip);
        for (int t = 0; t < 2; t++)
        {
            var edge = field[t, 3, 1];                                   // holds the square's left edge
            Assert.Equal((-2, 0), edge);
            Assert.Equal((0, 0), plainField[t, 3, 3]);
            for (int by = 2; by < 6; by++)
                for (int bx = 2; bx < 5; bx++)
                    Assert.Equal(edge, field[t, by, bx]);
        }
        var parts = costed.Decompose(clip);
        Assert.True(costed.Reconstruct(parts).ContentEquals(clip));
        Assert.Contains("exhaustive", Assert.Throws<UserInputException>(() => new BlockMotion(new BlockMotionOptions { VectorCost = 4, Search = MotionSearch.Diamond })).Message);
        Assert.Contains("vector cost", Assert.Throws<UserInputException>(() => new BlockMotion(new BlockMotionOptions { VectorCost = -1 })).Message);
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        Assert.Contains("at least 2 frames", Assert.Throws<UserInputException>(() => new BlockMotion().Decompose(new VideoClip(1, 16, 16))).Message);
        Assert.Contains("block size", Assert.Throws<UserInputException>(() => new BlockMotion(new BlockMotionOptions { BlockSize = 12 })).Message);
        Assert.Contains("search range", Assert.Throws<UserInputException>(() => new BlockMotion(new BlockMotionOptions { SearchRange = -1 })).Message);
        Assert.Contains("search range", Assert.Throws<UserInputException>(() => new BlockMotion(new BlockMotionOptions { SearchRange = 256 })).Message);
    }

    [Fact]
    public void MismatchedPartsAreRejected()
    {
        var bm = new BlockMotion();
        var parts = bm.Decompose(TestClips.Random(3, 32, 32, seed: 1));
        var wrong = parts with { Residuals = new SignedVideo(2, 16, 32, 3) };
        Assert.Throws<UserInputException>(() => bm.Reconstruct(wrong));
    }

    private static long BlockL1(SignedVideo v, int t, int by, int bx)
    {
        long sum = 0;
        for (int y = by * 16; y < by * 16 + 16; y++)
            for (int x = bx * 16; x < bx * 16 + 16; x++)
                for (int c = 0; c < 3; c++)
                    sum += Math.Abs((int)v[t, y, x, c]);
        return sum;
    }
}
