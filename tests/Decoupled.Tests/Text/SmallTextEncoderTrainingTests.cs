using Decoupled.Nn.Text.Small;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Text;

/// <summary>Training draws weights from torch's global RNG and compares runs bit for bit, so it runs alone.</summary>
[Collection(TorchRngCollection.Name)]
public class SmallTextEncoderTrainingTests
{
    private static readonly SmallTextEncoderConfig Tiny = new(MaxLength: 16, HashBuckets: 256, Width: 32, Layers: 2, Heads: 2, EmbeddingDim: 16);
    private static readonly string[] Captions = ["red square moves left", "red square moves right"];

    /// <summary>Trains to push the two captions' pooled vectors apart; returns the cosine after each step and the final vectors.</summary>
    private static (List<double> Cosines, Tensor Final) Train(long seed, int steps)
    {
        torch.manual_seed(seed);
        using var encoder = new SmallTextEncoder(Tiny);
        using var optimizer = torch.optim.Adam(encoder.Module.parameters(), lr: 1e-2);
        var cosines = new List<double>();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var pooled = encoder.EncodePooled(Captions);
            var cosine = nn.functional.cosine_similarity(pooled[0].unsqueeze(0), pooled[1].unsqueeze(0)).squeeze();
            cosines.Add(cosine.item<float>());
            TorchRuntime.Backward(cosine);
            optimizer.step();
        }
        using var noGrad = torch.no_grad();
        return (cosines, encoder.EncodePooled(Captions));
    }

    [Fact]
    public void LearnsToSeparateTwoCaptionsInAFewSteps()
    {
        TorchRuntime.Initialize();
        var (cosines, final) = Train(seed: 3, steps: 12);
        using (final)
        {
            // Captions sharing three of four words start out close; a few steps pull them apart.
            Assert.True(cosines[0] > 0.5, $"initial cosine {cosines[0]}");
            Assert.True(cosines[^1] < 0, $"cosine after training {cosines[^1]} (started at {cosines[0]})");
        }
    }

    [Fact]
    public void TheSameSeedTrainsToTheSameWeights()
    {
        TorchRuntime.Initialize();
        var (cosinesA, finalA) = Train(seed: 11, steps: 4);
        var (cosinesB, finalB) = Train(seed: 11, steps: 4);
        var (_, other) = Train(seed: 12, steps: 4);
        using (finalA)
        using (finalB)
        using (other)
        {
            Assert.Equal(cosinesA, cosinesB);
            Assert.True(ClipTestFiles.Same(finalA, finalB));
            Assert.False(ClipTestFiles.Same(finalA, other));
        }
    }
}
