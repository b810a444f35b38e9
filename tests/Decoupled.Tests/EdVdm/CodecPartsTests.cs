using Decoupled.Decompositions;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Runtime;
using Decoupled.Video;
using static TorchSharp.torch;

namespace Decoupled.Tests.EdVdm;

/// <summary>The codec's parts as tensors, residual selection and the DCT baseline.</summary>
public class CodecPartsTests
{
    private static VideoClip Panning(int frames = 6, int size = 32)
    {
        // A random texture moving right by 2 pixels a frame: block motion finds dx = -2 inside.
        var texture = new byte[(size + 4 * frames) * size * 3];
        new Random(4).NextBytes(texture);
        var clip = new VideoClip(frames, size, size);
        for (int t = 0; t < frames; t++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    for (int c = 0; c < 3; c++)
                        clip[t, y, x, c] = texture[(y * (size + 4 * frames) + x + 2 * (frames - t)) * 3 + c];
        return clip;
    }

    [Fact]
    public void VectorsAndResidualsSurviveTheTensorRoundTrip()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var parts = new BlockMotion(new BlockMotionOptions { BlockSize = 8, SearchRange = 4 }).Decompose(Panning());
        var vectors = CodecTensors.Vectors(parts.MotionVectors, 4);
        Assert.Equal(new long[] { 2, 5, 4, 4 }, vectors.shape);
        Assert.True(vectors.abs().max().item<float>() <= 1f);
        var field = CodecTensors.Field(vectors, 32, 32, 8, 4);
        Assert.True(field.ContentEquals(parts.MotionVectors));

        var residuals = CodecTensors.Residuals(parts.Residuals);
        Assert.Equal(new long[] { 5, 3, 32, 32 }, residuals.shape);
        Assert.True(CodecTensors.ResidualVideo(residuals).ContentEquals(parts.Residuals));
    }

    [Fact]
    public void GeneratedValuesAreRoundedAndClampedIntoTheCodecsRanges()
    {
        using var scope = NewDisposeScope();
        var vectors = tensor(new[] { 0.26f, -3f, 0.74f, 2f }).reshape(2, 1, 1, 2);
        var field = CodecTensors.Field(vectors, 8, 16, 8, 4);
        Assert.Equal((1, 3), field[0, 0, 0]);       // dx 0.26*4 = 1.04 -> 1, dy 0.74*4 = 2.96 -> 3
        Assert.Equal((-4, 4), field[0, 0, 1]);      // clamped to +-4
        var residual = CodecTensors.ResidualVideo(tensor(new[] { 0.5f, -2f, 0.002f }).reshape(1, 3, 1, 1));
        Assert.Equal(new short[] { 128, -255, 1 }, residual.Values);
    }

    [Theory]
    [InlineData(15, ResidualSelection.Middle4, new[] { 5, 6, 7, 8 })]
    [InlineData(7, ResidualSelection.Middle4, new[] { 1, 2, 3, 4 })]
    [InlineData(3, ResidualSelection.Middle4, new[] { 0, 1, 2 })]
    [InlineData(5, ResidualSelection.All, new[] { 0, 1, 2, 3, 4 })]
    public void MiddleFourResidualsAreTheCentreOfTheClip(int pFrames, ResidualSelection selection, int[] expected) =>
        Assert.Equal(expected, ResidualFrames.Indices(pFrames, selection));

    [Fact]
    public void DctWithEveryCoefficientIsExactAndWithOneKeepsTheBlockMean()
    {
        var video = new SignedVideo(1, 8, 8, 3);
        var random = new Random(2);
        for (int i = 0; i < video.Values.Length; i++) video.Values[i] = (short)random.Next(-255, 256);
        var dct = new BlockDct(4);
        Assert.True(dct.Compress(video, 4 * 4 * 3).ContentEquals(video));

        var dc = dct.Compress(video, 1);   // only channel 0's DC term survives
        for (int by = 0; by < 2; by++)
            for (int bx = 0; bx < 2; bx++)
            {
                double mean = 0;
                for (int y = 0; y < 4; y++)
                    for (int x = 0; x < 4; x++) mean += video[0, by * 4 + y, bx * 4 + x, 0] / 16.0;
                for (int y = 0; y < 4; y++)
                    for (int x = 0; x < 4; x++)
                    {
                        Assert.InRange(dc[0, by * 4 + y, bx * 4 + x, 0] - mean, -0.5 - 1e-9, 0.5 + 1e-9);
                        Assert.Equal(0, dc[0, by * 4 + y, bx * 4 + x, 1]);
                    }
            }
    }

    [Fact]
    public void DctReconstructionWithTheFullBudgetRebuildsTheClipExactly()
    {
        var clip = Panning();
        var codec = new BlockMotionOptions { BlockSize = 8, SearchRange = 4 };
        var rebuilt = ResidualReconstruction.WithDct(clip, codec, 8 * 8 * 3);
        Assert.Equal(clip.Pixels, rebuilt.Pixels);
        var coarse = ResidualReconstruction.WithDct(clip, codec, 3);
        Assert.NotEqual(clip.Pixels, coarse.Pixels);
    }
}
