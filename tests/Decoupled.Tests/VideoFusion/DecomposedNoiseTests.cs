using Decoupled.Generators.Diffusion;
using Decoupled.Tests.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.VideoFusion;

/// <summary>The statistics of VideoFusion's decomposed noise (equations 7, 9, 11).</summary>
public class DecomposedNoiseTests
{
    // Five frames, base frame floor(5/2) = 2, every other frame with its own lambda.
    private static readonly double[] Lambda = [0.25, 0.5, 1.0, 0.75, 0.1];

    [Fact]
    public void EveryFrameHasUnitVarianceAndFramesCorrelateBySqrtOfTheLambdaProduct()
    {
        var noise = new DecomposedNoise(Lambda);
        using var generator = new Generator(5);
        using var scope = NewDisposeScope();
        // 40 000 values per frame: the standard error of a variance is ~0.007, of a correlation below 0.005.
        var eps = noise.Sample([10_000, 1, 5, 2, 2], generator).to(ScalarType.Float64);
        var perFrame = eps.permute(2, 0, 1, 3, 4).reshape(5, -1);
        var centred = perFrame - perFrame.mean([1], keepdim: true);
        var covariance = centred.matmul(centred.t()) / perFrame.shape[1];
        for (int i = 0; i < 5; i++)
        {
            Assert.InRange(covariance[i, i].item<double>(), 0.96, 1.04);
            for (int j = 0; j < 5; j++)
            {
                if (i == j) continue;
                double correlation = covariance[i, j].item<double>() / Math.Sqrt(covariance[i, i].item<double>() * covariance[j, j].item<double>());
                Assert.True(Math.Abs(correlation - Math.Sqrt(Lambda[i] * Lambda[j])) < 0.025,
                    $"frames {i},{j}: correlation {correlation:F3}, expected {Math.Sqrt(Lambda[i] * Lambda[j]):F3}");
            }
        }
    }

    [Fact]
    public void TheBaseFrameIsTheBaseNoiseExactlyAndAFixedResidualKeepsItsPart()
    {
        var noise = new DecomposedNoise(Lambda);
        using var scope = NewDisposeScope();
        var b = torch.randn([2, 3, 1, 4, 4]);
        var r = torch.randn([2, 3, 5, 4, 4]);
        var eps = noise.Sample([2, 3, 5, 4, 4], baseNoise: b, residualNoise: r);
        Assert.True(TensorCompare.Identical(b, eps.narrow(2, 2, 1)));
        var expected = Math.Sqrt(0.75) * b[.., .., 0] + Math.Sqrt(0.25) * r[.., .., 3];
        Assert.True(TensorCompare.MaxError(expected, eps[.., .., 3]) < 1e-6);

        using var generator = new Generator(1);
        var otherBase = noise.Sample([2, 3, 5, 4, 4], generator, residualNoise: r);
        Assert.True(TensorCompare.MaxError(otherBase, eps) > 0.1);
        Assert.True(TensorCompare.MaxError(otherBase[.., .., 3] - Math.Sqrt(0.25) * r[.., .., 3], Math.Sqrt(0.75) * otherBase[.., .., 2]) < 1e-5);
    }

    [Fact]
    public void SharedGroupsShareTheirNoise()
    {
        var noise = new DecomposedNoise(DecomposedNoise.UniformLambda(4, 0.5));
        using var generator = new Generator(3);
        using var scope = NewDisposeScope();
        // Items 0 and 1: same subject, other actions; items 0 and 2: other subjects, same action; item 3: same as item 0.
        var eps = noise.SampleShared([4, 3, 4, 8, 8], baseGroups: [7, 7, 9, 7], residualGroups: [1, 2, 1, 1], generator);
        int k = noise.BaseFrame;
        Assert.True(TensorCompare.Identical(eps[0].narrow(1, k, 1), eps[1].narrow(1, k, 1)));
        Assert.True(TensorCompare.MaxError(eps[0], eps[1]) > 0.1);
        Assert.True(TensorCompare.MaxError(eps[0].narrow(1, k, 1), eps[2].narrow(1, k, 1)) > 0.1);
        Assert.True(TensorCompare.Identical(eps[0], eps[3]));
        // Same residual, other base: the difference is sqrt(lambda) (b0 - b2) in every non-base frame.
        var difference = eps[0] - eps[2];
        Assert.True(TensorCompare.MaxError(difference.narrow(1, 0, 1), Math.Sqrt(0.5) * difference.narrow(1, k, 1)) < 1e-5);
    }

    [Fact]
    public void GridBatchesRepeatSubjectsAndActions()
    {
        var source = new Decoupled.Pipelines.Data.ShapesClipSource(4, 16, 16, seed: 2, gridBatchSize: 4);
        var items = Enumerable.Range(0, 4).Select(slot => source.Draw(7, slot)).ToList();
        // Slots 0 1 / 2 3: rows share the subject, columns the action.
        Assert.Equal(items[0].SubjectId, items[1].SubjectId);
        Assert.Equal(items[2].SubjectId, items[3].SubjectId);
        Assert.Equal(items[0].ClassId, items[2].ClassId);
        Assert.Equal(items[1].ClassId, items[3].ClassId);
        Assert.Equal(items[1].Clip.Pixels, source.Draw(7, 1).Clip.Pixels);
    }

    [Fact]
    public void UniformLambdaPutsOneOnTheBaseFrameAndBadLambdasAreRejected()
    {
        Assert.Equal([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], DecomposedNoise.UniformLambda(16));
        Assert.Equal(8, new DecomposedNoise(DecomposedNoise.UniformLambda(16)).BaseFrame);
        Assert.Throws<ArgumentException>(() => new DecomposedNoise([0.5, 0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => new DecomposedNoise([1.5, 1.0, 0.5]));
        Assert.Throws<ArgumentException>(() => new DecomposedNoise([0.5, 1.0, 0.5]).Sample([1, 3, 4, 2, 2]));
    }
}
