using Decoupled.Nn.Text.Clip;
using Decoupled.Nn.Text.Small;

namespace Decoupled.Nn.Text;

/// <summary>
/// Chooses and rebuilds a caption encoder; lives in a model's <c>config.json</c> (snake_case
/// through <see cref="Decoupled.IO.JsonFile.Options"/>). Only the section of <see cref="Kind"/>
/// is read; a missing section means its defaults (the CLIP section has no defaults).
/// </summary>
/// <param name="Kind">Which encoder.</param>
/// <param name="Small">Shape of the small trainable encoder.</param>
/// <param name="Clip">Files of the pre-trained CLIP encoder.</param>
public sealed record TextEncoderConfig(
    TextEncoderKind Kind = TextEncoderKind.Small,
    SmallTextEncoderConfig? Small = null,
    ClipTextEncoderFiles? Clip = null)
{
    /// <summary>A small encoder of the default shape.</summary>
    public static TextEncoderConfig DefaultSmall { get; } = new(TextEncoderKind.Small, new SmallTextEncoderConfig());

    /// <summary>A CLIP encoder read from <paramref name="files"/>.</summary>
    public static TextEncoderConfig ForClip(ClipTextEncoderFiles files) => new(TextEncoderKind.Clip, Clip: files);
}
