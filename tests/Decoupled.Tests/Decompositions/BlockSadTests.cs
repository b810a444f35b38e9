using Decoupled.Decompositions;

namespace Decoupled.Tests.Decompositions;

public class BlockSadTests
{
    public static TheoryData<SadKernel, int> KernelsAndBlockSizes()
    {
        var data = new TheoryData<SadKernel, int>();
        foreach (var kernel in new[] { SadKernel.Avx512, SadKernel.Avx2, SadKernel.Vector128, SadKernel.Auto })
            foreach (var size in new[] { 4, 8, 16 })
                data.Add(kernel, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelsAndBlockSizes))]
    public void SimdSadEqualsScalarSadOnRandomData(SadKernel kernel, int blockSize)
    {
        if (!BlockSad.IsSupported(kernel))
        {
            // On a CPU without this instruction set, forcing the kernel must fail loudly, not fall back silently.
            Assert.Throws<PlatformNotSupportedException>(() => BlockSad.Compute(kernel, new byte[4096], new byte[4096], 48, blockSize));
            return;
        }
        var rng = new Random(blockSize * 31 + (int)kernel);
        for (int trial = 0; trial < 200; trial++)
        {
            int stride = blockSize * 3 + rng.Next(0, 40);
            int length = (blockSize - 1) * stride + blockSize * 3 + BlockSad.ReadSlack;
            var a = new byte[length];
            var b = new byte[length];
            rng.NextBytes(a);
            rng.NextBytes(b);
            // Extremes too: the largest possible SAD must not overflow any lane.
            if (trial == 0) { Array.Fill(a, (byte)255); Array.Fill(b, (byte)0); }
            int expected = ScalarSad(a, b, stride, blockSize);
            Assert.Equal(expected, BlockSad.Compute(kernel, a, b, stride, blockSize));
            Assert.Equal(expected, BlockSad.Compute(SadKernel.Scalar, a, b, stride, blockSize));
        }
    }

    [Fact]
    public void BytesOutsideTheBlockDoNotCount()
    {
        // Everything outside the 16x16x3 block differs; inside is identical, so every kernel must say 0.
        const int stride = 80, size = 16;
        int length = (size - 1) * stride + size * 3 + BlockSad.ReadSlack;
        var a = new byte[length];
        var b = new byte[length];
        Array.Fill(b, (byte)200);
        for (int r = 0; r < size; r++) Array.Fill(b, (byte)0, r * stride, size * 3);
        foreach (var kernel in new[] { SadKernel.Avx512, SadKernel.Avx2, SadKernel.Vector128, SadKernel.Scalar }.Where(BlockSad.IsSupported))
            Assert.Equal(0, BlockSad.Compute(kernel, a, b, stride, size));
    }

    [Fact]
    public void ShortBuffersAndBadBlockSizesAreRejected()
    {
        var buffer = new byte[16 * 48];
        Assert.Throws<ArgumentException>(() => BlockSad.Compute(SadKernel.Auto, buffer, buffer, 48, 16));
        Assert.Throws<ArgumentException>(() => BlockSad.Compute(SadKernel.Auto, new byte[4096], new byte[4096], 48, 12));
    }

    [Fact]
    public void AutoResolvesToTheWidestSupportedKernel()
    {
        var expected = BlockSad.IsSupported(SadKernel.Avx512) ? SadKernel.Avx512
            : BlockSad.IsSupported(SadKernel.Avx2) ? SadKernel.Avx2 : SadKernel.Vector128;
        Assert.Equal(expected, BlockSad.Resolve(SadKernel.Auto));
    }

    private static int ScalarSad(byte[] a, byte[] b, int stride, int blockSize)
    {
        int sum = 0;
        for (int r = 0; r < blockSize; r++)
            for (int i = 0; i < blockSize * 3; i++)
                sum += Math.Abs(a[r * stride + i] - b[r * stride + i]);
        return sum;
    }
}
