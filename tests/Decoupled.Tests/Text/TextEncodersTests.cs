using System.Text.Json;
using Decoupled.IO;
using Decoupled.Nn.Text;
using Decoupled.Nn.Text.Clip;
using Decoupled.Nn.Text.Small;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Text;

public class TextEncodersTests
{
    private static readonly string[] Merges = ["r e", "re d</w>", "l e", "le f", "lef t</w>"];

    /// <summary>A folder laid out like a Hugging Face CLIP download, with a tiny random model.</summary>
    private static ClipTextModel WriteClipFolder(string folder, int? vocabOverride = null)
    {
        var (_, _, ids) = ClipTestFiles.WriteTokenizer(folder, Merges);
        var config = ClipTestFiles.Tiny(vocabOverride ?? ids.Count);
        var model = new ClipTextModel(config);
        ClipTestFiles.SaveFullClip(Path.Combine(folder, "model.safetensors"), model);
        ClipTestFiles.WriteConfig(Path.Combine(folder, "config.json"), config);
        return model;
    }

    [Fact]
    public void ClipEncodesCaptionsThroughTheTokenizerAndTheLoadedWeights()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var source = WriteClipFolder(dir.Path);

        using var encoder = TextEncoders.Create(TextEncoderConfig.ForClip(ClipTextEncoderFiles.FromFolder(dir.Path)));
        var clip = Assert.IsType<ClipTextEncoder>(encoder);
        Assert.False(encoder.IsTrainable);
        Assert.Equal(24, encoder.EmbeddingDim);
        Assert.Equal(32, encoder.SequenceDim);
        Assert.Equal(77, encoder.MaxLength);

        string[] captions = ["Red left", "left left red red"];
        var pooled = encoder.EncodePooled(captions);
        Assert.Equal([2L, 24], pooled.shape);
        Assert.False(pooled.requires_grad);
        using (torch.no_grad())
            Assert.True(ClipTestFiles.Same(source.forward(clip.Tokenize(captions)).TextEmbeds, pooled));

        using var sequence = encoder.EncodeSequence(captions);
        Assert.Equal([2L, 77, 32], sequence.Hidden.shape);
        // start + 2 words + end, and start + 4 words + end.
        Assert.Equal([4L, 6], sequence.Mask.sum(1).data<long>().ToArray());
    }

    [Fact]
    public void AVocabularyThatDoesNotFitTheWeightsIsAUserError()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        WriteClipFolder(dir.Path, vocabOverride: 600);
        var files = ClipTextEncoderFiles.FromFolder(dir.Path);
        var e = Assert.Throws<UserInputException>(() => ClipTextEncoder.Load(files));
        Assert.StartsWith(files.Vocab + ": ", e.Message);
        Assert.Contains("600", e.Message);
    }

    [Fact]
    public void TheFactoryBuildsTheSmallEncoderByDefault()
    {
        TorchRuntime.Initialize();
        using var encoder = TextEncoders.Create(new TextEncoderConfig());
        Assert.IsType<SmallTextEncoder>(encoder);
        Assert.Equal(new SmallTextEncoderConfig(), encoder.Config.Small);
        Assert.Throws<UserInputException>(() => TextEncoders.Create(new TextEncoderConfig(TextEncoderKind.Clip)));
    }

    [Fact]
    public void ConfigRoundTripsThroughConfigJson()
    {
        var small = new TextEncoderConfig(TextEncoderKind.Small, new SmallTextEncoderConfig(MaxLength: 48, Layers: 3));
        var clip = TextEncoderConfig.ForClip(new ClipTextEncoderFiles("clip/model.safetensors", "clip/vocab.json", "clip/merges.txt", PadTokenId: 0));
        foreach (var config in new[] { small, clip })
        {
            var json = JsonFile.Serialize(config);
            var back = JsonSerializer.Deserialize<TextEncoderConfig>(json, JsonFile.Options);
            Assert.Equal(config.Kind, back!.Kind);
            Assert.Equal(config.Small, back.Small);
            Assert.Equal(config.Clip, back.Clip);
        }
        Assert.Contains("\"kind\": \"clip\"", JsonFile.Serialize(clip));
        Assert.Contains("\"max_length\": 48", JsonFile.Serialize(small));
    }
}
