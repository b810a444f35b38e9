using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Text;

/// <summary>
/// Turns captions into condition vectors for a generator. Two kinds exist
/// (<see cref="TextEncoderKind"/>): a small encoder trained with the generator, and the frozen
/// pre-trained CLIP text tower the D-VDM/ED-VDM paper conditions on. Outputs live on the device of
/// <see cref="Module"/>; move the module to move them.
/// </summary>
public interface ITextEncoder : IDisposable
{
    /// <summary>What rebuilds this encoder through <see cref="TextEncoders.Create"/>.</summary>
    TextEncoderConfig Config { get; }

    /// <summary>Width D of <see cref="EncodePooled"/>'s vectors.</summary>
    int EmbeddingDim { get; }

    /// <summary>Width of <see cref="EncodeSequence"/>'s per-token states.</summary>
    int SequenceDim { get; }

    /// <summary>Tokens per caption L, framing tokens included; longer captions are cut.</summary>
    int MaxLength { get; }

    /// <summary>
    /// True when the encoder learns with the generator: its parameters belong in the optimizer and
    /// in the generator's checkpoint. False for a frozen pre-trained encoder, which encodes without
    /// gradients and is reloaded from the files its <see cref="Config"/> names.
    /// </summary>
    bool IsTrainable { get; }

    /// <summary>The network, to register as a submodule, move between devices or save.</summary>
    nn.Module Module { get; }

    /// <summary>One vector per caption, [B, <see cref="EmbeddingDim"/>] float32.</summary>
    Tensor EncodePooled(IReadOnlyList<string> captions);

    /// <summary>Per-token states [B, <see cref="MaxLength"/>, <see cref="SequenceDim"/>] with a mask of the real tokens.</summary>
    TextSequence EncodeSequence(IReadOnlyList<string> captions);
}
