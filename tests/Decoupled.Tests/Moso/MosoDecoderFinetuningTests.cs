using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Moso;
using Decoupled.Tensors;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Nn;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Moso;

/// <summary>Decoder-only fine-tuning: the decoder learns, the tokens stay, and predict can swap the decoder in.</summary>
[Collection(TorchRngCollection.Name)]
public class MosoDecoderFinetuningTests : IDisposable
{
    private static readonly ShapesClipSource Source = new(8, 32, 32, seed: 7);
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-moso-decoder-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Dictionary<string, Tensor> Snapshot(IEnumerable<(string Name, Tensor Value)> state) =>
        state.ToDictionary(s => s.Name, s => s.Value.detach().clone());

    private static void Train(MosoVqVaeModel model, MosoVqVaeTrainingConfig config, int steps)
    {
        model.Network.train();
        using var optimizer = optim.Adam(model.ParameterGroups()[0].Parameters, lr: 1e-2);
        for (int i = 0; i < steps; i++)
        {
            using var batch = MosoVqVaeBatch.Draw(Source, i, 2, config);
            optimizer.zero_grad();
            using var loss = model.Loss(batch, new Generator(1));
            loss.backward();
            optimizer.step();
        }
    }

    [Fact]
    public void TheDecoderSideAndTheTokenizerSplitTheWeights()
    {
        var vqvae = new MosoVqVae(MosoPipelineTesting.VqVaeConfig().Net);
        var decoder = vqvae.DecoderParameters().Select(p => p.Handle).ToHashSet();
        var tokenizer = vqvae.TokenizerState().Select(s => s.Name).ToList();
        Assert.NotEmpty(decoder);
        Assert.Contains("codebook.embedding", tokenizer);
        Assert.Contains(tokenizer, n => n.StartsWith("motion_encoder.", StringComparison.Ordinal));
        Assert.DoesNotContain(tokenizer, n => n.StartsWith("decoder.", StringComparison.Ordinal) || n.StartsWith("merge.", StringComparison.Ordinal));
        // Every parameter is on exactly one side.
        var named = vqvae.named_parameters().ToList();
        Assert.Equal(named.Count, decoder.Count + named.Count(p => tokenizer.Contains(p.name)));
    }

    [Fact]
    public void DecoderOnlyTrainingMovesTheDecoderAndNoToken()
    {
        torch.manual_seed(11);
        var config = MosoPipelineTesting.VqVaeConfig() with { PreprocessSteps = 0, DecoderFinetunedFrom = "source" };
        var model = new MosoVqVaeModel(config);
        NnTesting.Perturb(model.VqVae, 0.05);
        Assert.Equal(model.VqVae.DecoderParameters().Count(), model.ParameterGroups()[0].Parameters.Count);
        var clip = Source.Draw(1, 3).Clip;
        model.Network.eval();
        var tokensBefore = MosoTokens.Encode(model.VqVae, ClipTensor.ToBatch([clip]));
        var tokenizerBefore = Snapshot(model.VqVae.TokenizerState());
        var decoderBefore = model.VqVae.DecoderParameters().Select(p => p.detach().clone()).ToList();

        Train(model, config, 3);

        foreach (var (name, value) in model.VqVae.TokenizerState())
            Assert.True(MosoPipelineTesting.Same(tokenizerBefore[name], value), $"{name} changed");
        Assert.Contains(model.VqVae.DecoderParameters().Zip(decoderBefore), p => !MosoPipelineTesting.Same(p.First, p.Second));
        model.Network.eval();
        var tokensAfter = MosoTokens.Encode(model.VqVae, ClipTensor.ToBatch([clip]));
        Assert.True(MosoPipelineTesting.Same(tokensBefore.Motion!, tokensAfter.Motion!));
        Assert.True(MosoPipelineTesting.Same(tokensBefore.Scene!, tokensAfter.Scene!));
    }

    [Fact]
    public void FullTrainingMovesTheCodebookWhichDecoderOnlyTrainingKeeps()
    {
        torch.manual_seed(12);
        var config = MosoPipelineTesting.VqVaeConfig() with { PreprocessSteps = 0 };
        var model = new MosoVqVaeModel(config);
        var codebookBefore = model.VqVae.Codebook.Embedding.detach().clone();
        Train(model, config, 1);
        Assert.False(MosoPipelineTesting.Same(codebookBefore, model.VqVae.Codebook.Embedding));
    }

    [Fact]
    public void ADecoderFromAFinetunedRunReplacesOnlyTheDecoderAndAnotherTokenizerIsRefused()
    {
        torch.manual_seed(13);
        var config = MosoPipelineTesting.VqVaeConfig() with { PreprocessSteps = 0 };
        var original = new MosoVqVaeModel(config);
        NnTesting.Perturb(original.VqVae, 0.05);
        var originalFolder = Path.Combine(dir, "original");
        CheckpointFolder.Save(originalFolder, config, original.Network);

        var tunedConfig = config with { DecoderFinetunedFrom = originalFolder };
        var tuned = new MosoVqVaeModel(tunedConfig);
        tuned.InitialiseFrom(originalFolder);
        Train(tuned, tunedConfig, 2);
        var tunedFolder = Path.Combine(dir, "tuned");
        CheckpointFolder.Save(tunedFolder, tunedConfig, tuned.Network);

        // The transformer's copy of the VQ-VAE: the original weights.
        var (_, target) = MosoVqVaeModel.Load(originalFolder);
        MosoDecoderReplacement.Apply(target, tunedFolder);
        var tunedParameters = tuned.VqVae.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in target.named_parameters())
            Assert.True(MosoPipelineTesting.Same(parameter, tunedParameters[name]), name);
        var clip = Source.Draw(0, 2).Clip;
        tuned.Network.eval();
        var expected = MosoReconstruction.Views(tuned.VqVae, [clip]).Reconstructions[0];
        Assert.True(MosoReconstruction.Views(target, [clip]).Reconstructions[0].ContentEquals(expected));

        var stranger = new MosoVqVae(config.Net);
        NnTesting.Perturb(stranger, 0.05);
        var error = Assert.Throws<UserInputException>(() => MosoDecoderReplacement.Apply(stranger, tunedFolder));
        Assert.Contains("encoders or codebook differ", error.Message);
        var otherShape = new MosoVqVae(config.Net with { Hidden = 24 });
        Assert.Throws<UserInputException>(() => MosoDecoderReplacement.Apply(otherShape, tunedFolder));
    }

    [Fact]
    public void InitialisingFromAnotherConfigIsRefused()
    {
        var folder = Path.Combine(dir, "small");
        var config = MosoPipelineTesting.VqVaeConfig();
        CheckpointFolder.Save(folder, config, new MosoVqVaeModel(config).Network);
        var other = new MosoVqVaeModel(config with { Net = config.Net with { CodebookSize = 64 } });
        Assert.Throws<UserInputException>(() => other.InitialiseFrom(folder));
    }
}
