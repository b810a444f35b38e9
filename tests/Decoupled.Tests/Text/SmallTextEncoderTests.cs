using Decoupled.IO.Safetensors;
using Decoupled.Nn.Text;
using Decoupled.Nn.Text.Small;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Text;

// Serialised with the other exactness tests: a training running in a parallel test can switch
// libtorch's global oneDNN flag, and two forward passes that straddle the switch differ in the last bits.
[Collection(TorchRngCollection.Name)]
public class SmallTextEncoderTests
{
    private static readonly SmallTextEncoderConfig Tiny = new(MaxLength: 16, HashBuckets: 256, Width: 32, Layers: 2, Heads: 2, EmbeddingDim: 16);

    [Fact]
    public void Cl100kTokenizesOfflineAndIgnoresCaseAndSpacing()
    {
        var ids = HashedCaptionTokenizer.Cl100kIds("red square moves left");
        Assert.InRange(ids.Count, 3, 8);
        Assert.Equal(ids, HashedCaptionTokenizer.Cl100kIds("  Red \t SQUARE\nmoves   left "));
        Assert.Empty(HashedCaptionTokenizer.Cl100kIds("   "));
    }

    [Fact]
    public void TokensHashIntoRowsWithAStartSlotAndAMask()
    {
        var tokenizer = new HashedCaptionTokenizer(maxLength: 8, buckets: 64);
        var (rows, mask) = tokenizer.Encode(["red square", "", string.Join(' ', Enumerable.Repeat("left", 30))]);
        int count = HashedCaptionTokenizer.Cl100kIds("red square").Count;
        Assert.Equal(3 * 8 * HashedCaptionTokenizer.HashesPerToken, rows.Length);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i <= count), mask[..8]);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i == 0), mask[8..16]);
        Assert.All(mask[16..], Assert.True);
        Assert.All(rows[..2], r => Assert.Equal(0L, r));
        Assert.All(rows[2..(2 * (count + 1))], r => Assert.InRange(r, 1L, 64L));
        // The two hashes of one id land on different rows (for this id), so a word is a sum of two rows.
        int id = HashedCaptionTokenizer.Cl100kIds("red")[0];
        Assert.NotEqual(tokenizer.Row(id, 0), tokenizer.Row(id, 1));
    }

    [Fact]
    public void EncodesToPooledVectorsAndMaskedSequences()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var encoder = new SmallTextEncoder(Tiny);
        Assert.True(encoder.IsTrainable);
        Assert.Equal(16, encoder.EmbeddingDim);
        var pooled = encoder.EncodePooled(["red square moves left", "blue circle", ""]);
        Assert.Equal([3L, 16], pooled.shape);
        Assert.True(pooled.isfinite().all().item<bool>());
        Assert.True(pooled.requires_grad);

        using var sequence = encoder.EncodeSequence(["red square moves left", "blue circle", ""]);
        Assert.Equal([3L, 16, 32], sequence.Hidden.shape);
        Assert.Equal(ScalarType.Bool, sequence.Mask.dtype);
        Assert.Equal(1 + HashedCaptionTokenizer.Cl100kIds("blue circle").Count, sequence.Mask[1].sum().item<long>());
        Assert.Equal(1, sequence.Mask[2].sum().item<long>());
    }

    [Fact]
    public void PaddingSlotsDoNotChangeTheOutput()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var model = new SmallTextModel(Tiny);
        var tokenizer = new HashedCaptionTokenizer(Tiny.MaxLength, Tiny.HashBuckets);
        var (rows, mask) = tokenizer.Encode(["red square"]);
        var rowTensor = torch.tensor(rows, [1, Tiny.MaxLength, HashedCaptionTokenizer.HashesPerToken]);
        var maskTensor = torch.tensor(mask, [1, Tiny.MaxLength]);
        var noisyPadding = rowTensor.clone();
        noisyPadding[0, (int)maskTensor.sum().item<long>()..] = torch.full(1, 2, 77L);
        using var noGrad = torch.no_grad();
        var clean = model.forward(rowTensor, maskTensor);
        var noisy = model.forward(noisyPadding, maskTensor);
        Assert.True(clean.Pooled.allclose(noisy.Pooled, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void StaysSmall()
    {
        TorchRuntime.Initialize();
        using var encoder = new SmallTextEncoder(new SmallTextEncoderConfig());
        long parameters = encoder.Module.parameters().Sum(p => p.numel());
        Assert.InRange(parameters, 100_000, 500_000);
    }

    [Fact]
    public void WeightsRoundTripThroughSafetensors()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        using var source = new SmallTextEncoder(Tiny);
        using var target = new SmallTextEncoder(Tiny);
        ModuleWeights.Save(dir.File("text.safetensors"), source.Module);
        ModuleWeights.Load(dir.File("text.safetensors"), target.Module);
        Assert.Contains("token_embedding.weight", source.Module.state_dict().Keys);
        Assert.Contains("layers.1.qkv.weight", source.Module.state_dict().Keys);
        using var noGrad = torch.no_grad();
        string[] captions = ["red square moves left", "blue circle"];
        Assert.True(ClipTestFiles.Same(source.EncodePooled(captions), target.EncodePooled(captions)));
    }
}
