using Decoupled.Generators.MaskedTokens;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.MaskedTokens;

public class MaskGitDecoderTests
{
    private const long MaskId = 5;

    // Logits that put (almost) all mass on token (position mod 5), with one extra column for the mask id.
    private static Tensor Peaked(Tensor tokens)
    {
        long b = tokens.shape[0], n = tokens.shape[1];
        var wanted = torch.arange(n, dtype: ScalarType.Int64).remainder(5).unsqueeze(0).expand(b, n);
        var logits = nn.functional.one_hot(wanted, 6).to_type(ScalarType.Float32) * 50;
        logits[.., .., 5] = torch.tensor(100f);   // the mask column is ignored even when it is the largest
        return logits;
    }

    [Fact]
    public void KnownTokensStayAndEveryMaskIsFilled()
    {
        using var start = torch.tensor(new long[] { 4, MaskId, MaskId, 0, MaskId, MaskId, MaskId, 1 }).reshape(1, 8);
        using var generator = new Generator(1);
        using var decoded = MaskGitDecoder.Decode(Peaked, start, MaskId, new MaskGitOptions(Iterations: 4), generator);
        Assert.Equal(new long[] { 4, 1, 2, 0, 4, 0, 1, 1 }, decoded.data<long>().ToArray());
    }

    [Fact]
    public void TheMaskedCountFollowsTheSchedule()
    {
        var seen = new List<long>();
        Tensor Recording(Tensor tokens)
        {
            seen.Add(tokens.eq(MaskId).sum().item<long>());
            return Peaked(tokens);
        }
        using var start = torch.full(1, 20, MaskId, dtype: ScalarType.Int64);
        using var generator = new Generator(2);
        MaskGitDecoder.Decode(Recording, start, MaskId, new MaskGitOptions(Iterations: 4), generator).Dispose();
        // Masked before iteration i: 20, then floor(gamma(i/4) * 20) = 18, 14, 7.
        Assert.Equal(new long[] { 20, 18, 14, 7 }, seen);
    }

    [Fact]
    public void OneIterationSamplesEverythingAtOnceAndSeedsReproduce()
    {
        int calls = 0;
        Tensor Uniform(Tensor tokens)
        {
            calls++;
            return torch.zeros(tokens.shape[0], tokens.shape[1], 5);
        }
        using var start = torch.full(3, 16, MaskId, dtype: ScalarType.Int64);
        using var g1 = new Generator(7);
        using var a = MaskGitDecoder.Decode(Uniform, start, MaskId, new MaskGitOptions(Iterations: 1), g1);
        Assert.Equal(1, calls);
        Assert.False(a.eq(MaskId).any().item<bool>());
        using var g2 = new Generator(7);
        using var b = MaskGitDecoder.Decode(Uniform, start, MaskId, new MaskGitOptions(Iterations: 1), g2);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(a.unique().Item1.shape[0] > 1);
    }
}
