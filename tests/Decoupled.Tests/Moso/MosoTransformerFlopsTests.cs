using Decoupled.Generators.MaskedTokens;
using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Moso;

namespace Decoupled.Tests.Moso;

public class MosoTransformerFlopsTests
{
    [Fact]
    public void OneBlockMatchesAHandCount()
    {
        // N = 3 tokens, d = 2, MLP 4: projections 8*3*4 = 96, attention 4*9*2 = 72, MLP 4*3*2*4 = 96.
        Assert.Equal(264, MosoTransformerFlops.TransformerPass(3, 1, 2, 4));
    }

    [Fact]
    public void APredictionCountsEveryIteration()
    {
        var c = new MosoTransformerNetConfig { CodebookSize = 8, SceneTokens = 4, MotionFrames = 2, MotionTokensPerFrame = 2, Width = 2, MlpWidth = 4, SceneObjectLayers = 1, MotionLayers = 1 };
        var options = new MosoSampleOptions(new MaskGitOptions(Iterations: 3), new MaskGitOptions(Iterations: 5));
        double expected = 3 * MosoTransformerFlops.SceneObjectPass(c) + MosoTransformerFlops.GuidancePass(c) + 5 * MosoTransformerFlops.MotionPass(c);
        Assert.Equal(expected, MosoTransformerFlops.PerClip(c, options));
        // The motion pass attends over the 8 guidance tokens and the 4 motion tokens, with a head over the motion tokens only.
        Assert.Equal(MosoTransformerFlops.TransformerPass(12, 1, 2, 4) + 2.0 * 4 * 2 * 8, MosoTransformerFlops.MotionPass(c));
    }
}
