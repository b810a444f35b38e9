using System.Text.Json.Serialization;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// Shape of the residual autoencoder of ED-VDM (the latent-diffusion KL autoencoder, small):
/// level i works at 1/2^i of the frame with <c>base_channels * channel_multipliers[i]</c> channels,
/// so <c>L</c> levels shrink a residual frame by 2^(L-1) (5 levels: 16x, matching 16x16 motion blocks).
/// </summary>
public sealed record ResidualVaeConfig
{
    /// <summary>Channels of a residual frame (3 for RGB).</summary>
    public int ImageChannels { get; init; } = 3;

    /// <summary>Channels of the latent (the paper uses 16).</summary>
    public int LatentChannels { get; init; } = 16;

    /// <summary>Width of level 0.</summary>
    public int BaseChannels { get; init; } = 32;

    /// <summary>Width multipliers per level; their count fixes the downsampling factor 2^(count-1).</summary>
    public IReadOnlyList<int> ChannelMultipliers { get; init; } = [1, 1, 2, 2, 4];

    /// <summary>ResNet blocks per level in the encoder (the decoder has one more, as in latent diffusion).</summary>
    public int ResBlocksPerLevel { get; init; } = 1;

    /// <summary>GroupNorm groups (narrower layers use the largest divisor below it).</summary>
    public int NormGroups { get; init; } = 8;

    /// <summary>Weight of the KL term against the L1 reconstruction loss (the paper: 1e-6).</summary>
    public double KlWeight { get; init; } = 1e-6;

    /// <summary>
    /// Whether a linear patch code (<see cref="LinearPatchShortcut"/>) runs beside the encoder and
    /// decoder. Absent in older checkpoints' config.json, hence false by default;
    /// <see cref="ForBlockSize"/> turns it on.
    /// </summary>
    public bool LinearShortcut { get; init; }

    /// <summary>How much smaller the latent is than the frame on each side.</summary>
    [JsonIgnore]
    public int DownsamplingFactor => 1 << (ChannelMultipliers.Count - 1);

    /// <summary>Width of level <paramref name="level"/>.</summary>
    public int Width(int level) => BaseChannels * ChannelMultipliers[level];

    /// <summary>The standard shape for a block size (a power of two): log2(block) downsamplings, so the latent lines up with the block grid.</summary>
    public static ResidualVaeConfig ForBlockSize(int blockSize, int latentChannels = 16, int baseChannels = 32)
    {
        if (blockSize < 2 || (blockSize & (blockSize - 1)) != 0)
            throw new UserInputException($"the residual autoencoder needs a power-of-two block size, got {blockSize}");
        int levels = System.Numerics.BitOperations.Log2((uint)blockSize) + 1;
        int[] all = [1, 1, 2, 2, 4, 4, 4];
        return new ResidualVaeConfig
        {
            LatentChannels = latentChannels, BaseChannels = baseChannels,
            ChannelMultipliers = all.Take(levels).ToArray(), LinearShortcut = true,
        };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every inconsistent field.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (ImageChannels < 1) problems.Add($"image_channels must be >= 1 (got {ImageChannels})");
        if (LatentChannels < 1) problems.Add($"latent_channels must be >= 1 (got {LatentChannels})");
        if (BaseChannels < 1) problems.Add($"base_channels must be >= 1 (got {BaseChannels})");
        if (ChannelMultipliers.Count == 0 || ChannelMultipliers.Any(m => m < 1)) problems.Add("channel_multipliers must be a non-empty list of positive numbers");
        if (ResBlocksPerLevel < 1) problems.Add($"res_blocks_per_level must be >= 1 (got {ResBlocksPerLevel})");
        if (NormGroups < 1) problems.Add($"norm_groups must be >= 1 (got {NormGroups})");
        if (!(KlWeight >= 0)) problems.Add($"kl_weight must be >= 0 (got {KlWeight})");
        if (problems.Count > 0) throw new ArgumentException("invalid residual autoencoder config: " + string.Join("; ", problems) + ".");
    }
}
