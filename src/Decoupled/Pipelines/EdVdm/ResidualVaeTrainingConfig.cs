using System.Text.Json.Serialization;
using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.Checkpoints;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>A trained residual autoencoder's checkpoint config: the network and the codec and clips its residuals came from.</summary>
public sealed record ResidualVaeTrainingConfig : IModelConfig
{
    /// <summary>The model type stored in checkpoints.</summary>
    public const string Type = "ed-vdm-vae";

    /// <inheritdoc />
    public string ModelType { get; init; } = Type;

    /// <summary>The autoencoder.</summary>
    public required ResidualVaeConfig Vae { get; init; }

    /// <summary>Frames per training clip.</summary>
    public required int Frames { get; init; }

    /// <summary>Frame height.</summary>
    public required int Height { get; init; }

    /// <summary>Frame width.</summary>
    public required int Width { get; init; }

    /// <summary>Motion search range of the codec, in pixels.</summary>
    public int SearchRange { get; init; } = 16;

    /// <summary>The codec's motion-search rate term (<see cref="BlockMotionOptions.VectorCost"/>; 0 in older checkpoints).</summary>
    public int VectorCost { get; init; }

    /// <summary>Which P-frames' residuals trained it.</summary>
    public ResidualSelection Selection { get; init; } = ResidualSelection.Middle4;

    /// <summary>Reconstruction term of the loss (absent in older checkpoints: L1, the paper's).</summary>
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.L1;

    /// <summary>Training data ("shapes" or a folder path), for reports.</summary>
    public string Dataset { get; init; } = "shapes";

    /// <summary>Macroblock side: the autoencoder's downsampling factor, so latents sit on the block grid.</summary>
    [JsonIgnore]
    public int BlockSize => Vae.DownsamplingFactor;

    /// <summary>The codec settings these residuals come from.</summary>
    public BlockMotionOptions Codec() => new() { BlockSize = BlockSize, SearchRange = SearchRange, VectorCost = VectorCost };
}
