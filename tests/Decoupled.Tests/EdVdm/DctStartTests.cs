using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Decompositions;
using TorchSharp;

namespace Decoupled.Tests.EdVdm;

[Collection(TorchRngCollection.Name)]
public class DctStartTests
{
    [Fact]
    public void TheDctProjectionHasOrthonormalRowsInSpaceToDepthOrder()
    {
        var m = new BlockDct(4).Projection(coefficients: 5, channels: 3);
        Assert.Equal(5, m.GetLength(0));
        Assert.Equal(48, m.GetLength(1));
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
            {
                double dot = 0;
                for (int k = 0; k < 48; k++) dot += m[a, k] * m[b, k];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 12);
            }
        // The first three rows are the DC terms of R, G and B: constant 1/4 over their own channel only.
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < 48; k++)
                Assert.Equal(k / 16 == c ? 0.25 : 0.0, m[c, k], 12);
    }

    [Fact]
    public void AFreshAutoencoderRebuildsClipsAsTheDctBaselineDoes()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(6);
        var config = new ResidualVaeTrainingConfig
        {
            Vae = ResidualVaeConfig.ForBlockSize(4, latentChannels: 6, baseChannels: 8), Frames = 5, Height = 16, Width = 16, SearchRange = 4,
        };
        var model = new ResidualVaeModel(config);
        var clip = TestClips.MovingSquare(5, 16, 16, 6, 2, 3, 2, 1, (200, 40, 90), seed: 1, backgroundMean: 100);
        var codec = config.Codec();
        var fromAutoencoder = ResidualReconstruction.WithAutoencoder(clip, model.Vae, codec);
        var fromDct = ResidualReconstruction.WithDct(clip, codec, coefficients: 6);
        // Equal up to float32 against float64 rounding of a few values.
        int differing = 0;
        for (int t = 0; t < clip.Frames; t++)
        {
            var a = fromAutoencoder.Frame(t);
            var b = fromDct.Frame(t);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.InRange(Math.Abs(a[i] - b[i]), 0, 1);
                if (a[i] != b[i]) differing++;
            }
        }
        Assert.True(differing < clip.Frames * clip.FrameSize / 100, $"{differing} values differ");
        Assert.False(fromDct.ContentEquals(clip), "the DCT baseline was expected to be lossy here");
    }
}
