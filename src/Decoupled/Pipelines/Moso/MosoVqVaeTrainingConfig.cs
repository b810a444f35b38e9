using System.Text.Json.Serialization;
using Decoupled.Decompositions;
using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// A MOSO-VQVAE checkpoint's config: the network and how it was trained (section 3.1.4 and
/// appendix C.1 of the paper: L2 reconstruction, an optional perceptual term, commitment, an
/// optional video discriminator that starts late, and the preprocessed scene/object inputs only
/// early in training).
/// </summary>
public sealed record MosoVqVaeTrainingConfig : IModelConfig
{
    /// <summary>The model type stored in checkpoints.</summary>
    public const string Type = "moso-vqvae";

    /// <inheritdoc />
    public string ModelType { get; init; } = Type;

    /// <summary>The encoders, codebook and decoder.</summary>
    public required MosoVqVaeNetConfig Net { get; init; }

    /// <summary>
    /// Steps during which the scene and object encoders see the preprocessed scene and object
    /// videos (appendix A); afterwards both see raw frames (the paper: the first 50k of 250k).
    /// </summary>
    public long PreprocessSteps { get; init; } = 1000;

    /// <summary>Thresholds and difference of the preprocessing split.</summary>
    public MotionSceneObjectOptions Split { get; init; } = new();

    /// <summary>
    /// Share of training clips whose frames stop changing after a random frame
    /// (<see cref="MosoStillTail"/>; not in the paper, which uses 0).
    /// </summary>
    public double StillFraction { get; init; }

    /// <summary>Weight of the L1 term of the reconstruction loss (0: the paper's L2 alone).</summary>
    public double L1Weight { get; init; }

    /// <summary>Weight of the LPIPS term (used only when training was given LPIPS weights; the paper uses 1).</summary>
    public double PerceptualWeight { get; init; } = 1.0;

    /// <summary>Weight of the video discriminator's hinge loss (0: no discriminator; the paper: 0.1, Table 10).</summary>
    public double DiscriminatorWeight { get; init; }

    /// <summary>Step at which the discriminator starts (the paper: 50k of 250k).</summary>
    public long DiscriminatorStart { get; init; } = 2000;

    /// <summary>Base channels of the video discriminator.</summary>
    public int DiscriminatorWidth { get; init; } = 32;

    /// <summary>
    /// The MOSO-VQVAE run whose weights this one started from to train its decoder alone (null:
    /// everything trains). Its encoders and codebook stay frozen, so its tokens, and any
    /// MOSO-Transformer trained over them, stay valid while the decodings sharpen.
    /// </summary>
    public string? DecoderFinetunedFrom { get; init; }

    /// <summary>Whether only the decoder side trains (<see cref="DecoderFinetunedFrom"/> is set).</summary>
    [JsonIgnore]
    public bool DecoderOnly => DecoderFinetunedFrom is not null;

    /// <summary>Training data ("shapes" or a folder path), for reports.</summary>
    public string Dataset { get; init; } = "shapes";

    /// <summary>Frames per clip.</summary>
    [JsonIgnore]
    public int Frames => Net.Frames;

    /// <summary>Frame height.</summary>
    [JsonIgnore]
    public int Height => Net.Height;

    /// <summary>Frame width.</summary>
    [JsonIgnore]
    public int Width => Net.Width;
}
