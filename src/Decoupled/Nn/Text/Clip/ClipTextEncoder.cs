using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// The frozen CLIP text encoder: <see cref="ClipTokenizer"/> then <see cref="ClipTextModel"/>.
/// Pooled vectors are HF's <c>text_embeds</c> (projected end-token state, not normalized);
/// sequences are <c>last_hidden_state</c>, the states Stable Diffusion-style models attend to.
/// </summary>
public sealed class ClipTextEncoder : ITextEncoder
{
    private ClipTextEncoder(ClipTextModel model, ClipTokenizer tokenizer, TextEncoderConfig config)
    {
        Model = model;
        Tokenizer = tokenizer;
        Config = config;
    }

    /// <summary>The network.</summary>
    public ClipTextModel Model { get; }

    /// <summary>The tokenizer.</summary>
    public ClipTokenizer Tokenizer { get; }

    /// <inheritdoc />
    public TextEncoderConfig Config { get; }

    /// <inheritdoc />
    public int EmbeddingDim => Model.Config.ProjectionDim;

    /// <inheritdoc />
    public int SequenceDim => Model.Config.HiddenSize;

    /// <inheritdoc />
    public int MaxLength => Tokenizer.ContextLength;

    /// <inheritdoc />
    public bool IsTrainable => false;

    /// <inheritdoc />
    public nn.Module Module => Model;

    /// <summary>
    /// Loads weights and tokenizer from <paramref name="files"/>; the vocabulary must have as many
    /// tokens as the token embedding has rows.
    /// </summary>
    public static ClipTextEncoder Load(ClipTextEncoderFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var model = ClipWeights.Load(files.Weights, files.Config);
        try
        {
            var tokenizer = ClipTokenizer.FromFiles(files.Vocab, files.Merges, files.PadTokenId, model.Config.MaxPositionEmbeddings);
            if (tokenizer.VocabularySize != model.Config.VocabSize)
                throw new UserInputException($"{files.Vocab}: has {tokenizer.VocabularySize} tokens but the weights in {files.Weights} embed {model.Config.VocabSize}");
            return new ClipTextEncoder(model, tokenizer, TextEncoderConfig.ForClip(files));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Token ids [B, <see cref="MaxLength"/>] (int64, CPU) of <paramref name="captions"/>.</summary>
    public Tensor Tokenize(IReadOnlyList<string> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var ids = new long[captions.Count * MaxLength];
        for (int b = 0; b < captions.Count; b++)
        {
            var row = Tokenizer.Encode(captions[b]);
            for (int i = 0; i < row.Length; i++)
                ids[b * MaxLength + i] = row[i];
        }
        return torch.tensor(ids, [captions.Count, MaxLength], ScalarType.Int64);
    }

    /// <inheritdoc />
    public Tensor EncodePooled(IReadOnlyList<string> captions)
    {
        using var scope = NewDisposeScope();
        using var output = Run(captions);
        return output.TextEmbeds.alias().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public TextSequence EncodeSequence(IReadOnlyList<string> captions)
    {
        using var scope = NewDisposeScope();
        using var output = Run(captions);
        // Everything up to and including the end token is text; later slots are padding.
        var mask = torch.arange(MaxLength, device: output.EndPositions.device).unsqueeze(0) <= output.EndPositions.unsqueeze(1);
        return new TextSequence(output.LastHiddenState.alias().MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>Disposes the network.</summary>
    public void Dispose() => Model.Dispose();

    private ClipTextOutput Run(IReadOnlyList<string> captions)
    {
        using var noGrad = torch.no_grad();
        using var ids = Tokenize(captions);
        using var onDevice = ids.to(Model.parameters().First().device);
        return Model.forward(onDevice);
    }
}
