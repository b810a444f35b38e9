using Decoupled.Nn.Autoencoders;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.EdVdm;

/// <summary>The residual autoencoder's shapes, posterior and config rules.</summary>
[Collection(TorchRngCollection.Name)]
public class ResidualAutoencoderTests
{
    private static readonly ResidualVaeConfig Tiny = new() { LatentChannels = 4, BaseChannels = 8, ChannelMultipliers = [1, 2, 2], NormGroups = 4 };

    [Fact]
    public void LatentsSitOnTheBlockGridAndDecodeBackToFrameSize()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(1);
        using var scope = NewDisposeScope();
        var vae = new ResidualVae(Tiny);
        Assert.Equal(4, Tiny.DownsamplingFactor);
        var x = randn(2, 3, 16, 24);
        using var posterior = vae.Encode(x);
        Assert.Equal(new long[] { 2, 4, 4, 6 }, posterior.Mean.shape);
        Assert.Equal(new long[] { 2, 3, 16, 24 }, vae.Decode(posterior.Sample()).shape);
        Assert.Equal(new long[] { 2, 3, 16, 24 }, vae.call(x).shape);
        Assert.Throws<ArgumentException>(() => vae.Encode(randn(1, 3, 10, 16)));
        Assert.Contains("encoder.down.1.resample.conv.weight", vae.state_dict().Keys);
        Assert.Contains("decoder.mid_attention.attention.to_qkv.weight", vae.state_dict().Keys);
    }

    [Fact]
    public void KlDivergenceMatchesTheClosedForm()
    {
        using var scope = NewDisposeScope();
        // mean 1, log-variance log 2 everywhere: KL per element = 0.5 (1 + 2 - 1 - ln 2).
        var moments = cat([full(1, 2, 3, 3, 1f), full(1, 2, 3, 3, (float)Math.Log(2))], 1);
        using var posterior = new DiagonalGaussian(moments);
        Assert.Equal(18 * 0.5 * (2 - Math.Log(2)), posterior.KlDivergence().item<float>(), 4);
        using var standard = new DiagonalGaussian(zeros(1, 4, 2, 2));
        Assert.Equal(0f, standard.KlDivergence().item<float>());
    }

    [Theory]
    [InlineData(16, 5)]
    [InlineData(8, 4)]
    [InlineData(4, 3)]
    public void BlockSizeFixesTheNumberOfLevels(int block, int levels)
    {
        var config = ResidualVaeConfig.ForBlockSize(block);
        Assert.Equal(levels, config.ChannelMultipliers.Count);
        Assert.Equal(block, config.DownsamplingFactor);
        Assert.Throws<UserInputException>(() => ResidualVaeConfig.ForBlockSize(12));
    }

    [Fact]
    public void AFreshPosteriorStartsNearlyDeterministic()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        var vae = new ResidualVae(Tiny);
        using var posterior = vae.Encode(randn(2, 3, 16, 16) * 0.2);
        double logVariance = posterior.LogVariance.mean().item<float>();
        Assert.InRange(logVariance, VaeEncoder.InitialLogVariance - 1, VaeEncoder.InitialLogVariance + 1);
    }
}
