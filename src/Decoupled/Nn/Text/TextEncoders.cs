using Decoupled.Nn.Text.Clip;
using Decoupled.Nn.Text.Small;

namespace Decoupled.Nn.Text;

/// <summary>Builds the encoder a <see cref="TextEncoderConfig"/> describes.</summary>
public static class TextEncoders
{
    /// <summary>
    /// A small encoder with fresh weights (drawn from torch's global generator: seed it first; a
    /// checkpoint then loads its trained weights through <see cref="ITextEncoder.Module"/>), or a
    /// CLIP encoder loaded from its files. Bad CLIP files throw a <see cref="UserInputException"/>.
    /// </summary>
    public static ITextEncoder Create(TextEncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Kind switch
        {
            TextEncoderKind.Small => new SmallTextEncoder(config.Small ?? new SmallTextEncoderConfig()),
            TextEncoderKind.Clip => ClipTextEncoder.Load(config.Clip
                ?? throw new UserInputException("text encoder config: kind 'clip' needs a 'clip' section naming the weights, vocab.json and merges.txt")),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Kind, "unknown text encoder kind"),
        };
    }
}
