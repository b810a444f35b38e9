using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text.Small;

/// <summary>
/// The small caption encoder trained jointly with a generator:
/// <see cref="HashedCaptionTokenizer"/> then <see cref="SmallTextModel"/>. Gradients flow
/// through both outputs; register <see cref="Module"/> with the generator so its weights are
/// optimized and saved with it.
/// </summary>
public sealed class SmallTextEncoder : ITextEncoder
{
    private readonly HashedCaptionTokenizer tokenizer;

    /// <summary>Creates an encoder of shape <paramref name="config"/>, weights from torch's global generator.</summary>
    public SmallTextEncoder(SmallTextEncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Shape = config;
        tokenizer = new HashedCaptionTokenizer(config.MaxLength, config.HashBuckets);
        Model = new SmallTextModel(config);
        Config = new TextEncoderConfig(TextEncoderKind.Small, config);
    }

    /// <summary>The shape this encoder was built with.</summary>
    public SmallTextEncoderConfig Shape { get; }

    /// <summary>The network.</summary>
    public SmallTextModel Model { get; }

    /// <inheritdoc />
    public TextEncoderConfig Config { get; }

    /// <inheritdoc />
    public int EmbeddingDim => Shape.EmbeddingDim;

    /// <inheritdoc />
    public int SequenceDim => Shape.Width;

    /// <inheritdoc />
    public int MaxLength => Shape.MaxLength;

    /// <inheritdoc />
    public bool IsTrainable => true;

    /// <inheritdoc />
    public nn.Module Module => Model;

    /// <inheritdoc />
    public Tensor EncodePooled(IReadOnlyList<string> captions)
    {
        using var scope = NewDisposeScope();
        var (rows, mask) = Tokens(captions);
        return Model.forward(rows, mask).Pooled.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public TextSequence EncodeSequence(IReadOnlyList<string> captions)
    {
        using var scope = NewDisposeScope();
        var (rows, mask) = Tokens(captions);
        var output = Model.forward(rows, mask);
        return new TextSequence(output.Hidden.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>Disposes the network.</summary>
    public void Dispose() => Model.Dispose();

    /// <summary>Rows and mask as tensors on the model's device; call inside a dispose scope.</summary>
    private (Tensor Rows, Tensor Mask) Tokens(IReadOnlyList<string> captions)
    {
        var (rows, mask) = tokenizer.Encode(captions);
        var device = Model.parameters().First().device;
        long batch = captions.Count;
        var rowTensor = torch.tensor(rows, [batch, MaxLength, HashedCaptionTokenizer.HashesPerToken], ScalarType.Int64).to(device);
        var maskTensor = torch.tensor(mask, [batch, MaxLength]).to(device);
        return (rowTensor, maskTensor);
    }
}
