using Decoupled.IO.Safetensors;
using Decoupled.Nn.Quantization;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

[Collection(TorchRngCollection.Name)]
public class EmaCodebookTests
{
    private static EmaCodebook TwoCodes(double decay = 0.5, double deadThreshold = 0)
    {
        var codebook = new EmaCodebook(2, 2, decay, commitment: 0.25, epsilon: 0, deadThreshold);
        using (torch.no_grad())
        {
            using var codes = torch.tensor(new float[] { 0, 0, 10, 10 }).reshape(2, 2);
            codebook.Embedding.copy_(codes);
            codebook.EmbeddingSum.copy_(codes);
            codebook.ClusterSize.fill_(1.0);
        }
        return codebook;
    }

    private static Tensor Batch() => torch.tensor(new float[] { 1, 0, 0, 1, 9, 9 }).reshape(3, 2);

    [Fact]
    public void OneTrainingStepMatchesTheHandComputedEmaUpdate()
    {
        // z = (1,0), (0,1) -> code 0 and (9,9) -> code 1: counts [2, 1], sums [(1,1), (9,9)].
        // cluster_size = 0.5 [1, 1] + 0.5 [2, 1] = [1.5, 1.0]
        // embedding_sum = 0.5 [(0,0), (10,10)] + 0.5 [(1,1), (9,9)] = [(0.5,0.5), (9.5,9.5)]
        // codes = sums / sizes = [(1/3, 1/3), (9.5, 9.5)]
        // commitment = 0.25 * mean((z - q)^2) = 0.25 * (1 + 0 + 0 + 1 + 1 + 1) / 6 = 1/6
        // perplexity = exp(-(2/3 ln 2/3 + 1/3 ln 1/3)) = 1.8899
        var codebook = TwoCodes();
        codebook.train();
        using var z = Batch();
        var output = codebook.Quantize(z);
        Assert.Equal(new long[] { 0, 0, 1 }, output.Indices.data<long>().ToArray());
        Assert.Equal(1.0 / 6, output.CommitmentLoss.item<float>(), 5);
        Assert.Equal(new[] { 1.5f, 1.0f }, codebook.ClusterSize.data<float>().ToArray());
        Assert.Equal(new[] { 0.5f, 0.5f, 9.5f, 9.5f }, codebook.EmbeddingSum.data<float>().ToArray());
        var codes = codebook.Embedding.data<float>().ToArray();
        Assert.Equal(1.0 / 3, codes[0], 5);
        Assert.Equal(1.0 / 3, codes[1], 5);
        Assert.Equal(9.5, codes[2], 5);
        Assert.Equal(1.8899, codebook.LastUsage.Perplexity, 3);
        Assert.Equal(2, codebook.LastUsage.UsedCodes);
    }

    [Fact]
    public void EvalModeQuantisesWithoutUpdatingAndPassesGradientsStraightThrough()
    {
        var codebook = TwoCodes();
        codebook.eval();
        using var z = Batch().requires_grad_(true);
        var output = codebook.Quantize(z);
        Assert.Equal(new[] { 0f, 0f, 0f, 0f, 10f, 10f }, output.Quantized.data<float>().ToArray());
        Assert.Equal(new[] { 0f, 0f, 10f, 10f }, codebook.Embedding.data<float>().ToArray());
        output.Quantized.sum().backward();
        Assert.Equal(new[] { 1f, 1f, 1f, 1f, 1f, 1f }, z.grad!.data<float>().ToArray());
        using var looked = codebook.Lookup(torch.tensor(new long[] { 1, 0 }).reshape(1, 2));
        Assert.Equal(new long[] { 1, 2, 2 }, looked.shape);
        Assert.Equal(new[] { 10f, 10f, 0f, 0f }, looked.data<float>().ToArray());
    }

    [Fact]
    public void ACodeNeverChosenIsRestartedAtABatchVector()
    {
        // Code 1 sits far away: its count halves each step (1, 0.5, 0.25, 0.125, 0.0625) until it drops below 0.1.
        var codebook = TwoCodes(decay: 0.5, deadThreshold: 0.1);
        using (torch.no_grad())
        {
            codebook.Embedding[1].fill_(1000f);
            codebook.EmbeddingSum[1].fill_(1000f);
        }
        codebook.train();
        using var z = torch.tensor(new float[] { 1, 0, 0, 1, 1, 1 }).reshape(3, 2);
        for (int step = 0; step < 3; step++) codebook.Quantize(z);
        Assert.Equal(1000f, codebook.Embedding[1, 0].item<float>());
        codebook.Quantize(z);
        Assert.Equal(1, codebook.LastUsage.DeadCodes);
        var restarted = codebook.Embedding[1].data<float>().ToArray();
        var rows = z.data<float>().ToArray().Chunk(2).ToList();
        Assert.Contains(rows, r => r.SequenceEqual(restarted));
        Assert.Equal(1f, codebook.ClusterSize[1].item<float>());
    }

    [Fact]
    public void TheCodebookAndItsStatisticsAreSavedWithTheWeights()
    {
        var codebook = TwoCodes();
        codebook.train();
        using (var z = Batch()) codebook.Quantize(z);
        Assert.Equal(["cluster_size", "embedding", "embedding_sum"], codebook.state_dict().Keys.Order(StringComparer.Ordinal));
        var path = Path.Combine(Path.GetTempPath(), $"codebook-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModuleWeights.Save(path, codebook);
            var loaded = new EmaCodebook(2, 2);
            ModuleWeights.Load(path, loaded);
            Assert.Equal(codebook.Embedding.data<float>().ToArray(), loaded.Embedding.data<float>().ToArray());
            Assert.Equal(codebook.ClusterSize.data<float>().ToArray(), loaded.ClusterSize.data<float>().ToArray());
            Assert.Equal(codebook.EmbeddingSum.data<float>().ToArray(), loaded.EmbeddingSum.data<float>().ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
