using System.Text.Json.Serialization;

namespace Decoupled.Nn.UNet;

/// <summary>
/// Everything that shapes a <see cref="UNet3D"/>; written into a checkpoint's <c>config.json</c>
/// with snake_case names (<see cref="IO.JsonFile.Options"/>). Level i works at 1/2^i of the input
/// size with <c>base_channels * channel_multipliers[i]</c> channels.
/// </summary>
public sealed record UNet3DConfig
{
    /// <summary>Channels of the noisy input (3 for RGB, or the motion/latent channels of ED-VDM).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Channels of the prediction (usually equal to <see cref="InChannels"/>).</summary>
    public int OutChannels { get; init; } = 3;

    /// <summary>Width of level 0; the sinusoid has this width and the embedding 4x it.</summary>
    public int BaseChannels { get; init; } = 64;

    /// <summary>Width of each level as a multiple of <see cref="BaseChannels"/>; its length is the number of levels.</summary>
    public IReadOnlyList<int> ChannelMultipliers { get; init; } = [1, 2, 4];

    /// <summary>ResNet blocks per level on the way down (the way up has as many, each taking one skip).</summary>
    public int ResBlocksPerLevel { get; init; } = 2;

    /// <summary>Indices of the levels (0 = full size) whose blocks have spatial self-attention; the middle block always has it.</summary>
    public IReadOnlyList<int> AttentionLevels { get; init; } = [1, 2];

    /// <summary>Heads of every attention layer.</summary>
    public int AttentionHeads { get; init; } = 4;

    /// <summary>Width of one attention head.</summary>
    public int AttentionHeadDim { get; init; } = 32;

    /// <summary>Whether every block (and the middle) has temporal self-attention; without it frames never interact.</summary>
    public bool TemporalAttention { get; init; } = true;

    /// <summary>Longest clip the relative position bias of temporal attention covers.</summary>
    public int MaxFrames { get; init; } = 32;

    /// <summary>Dropout inside the ResNet blocks (training only).</summary>
    public double Dropout { get; init; }

    /// <summary>GroupNorm groups (a layer whose width it does not divide uses the largest divisor below it).</summary>
    public int NormGroups { get; init; } = 8;

    /// <summary>Number of classes for label conditioning; null for none. A learned null class is added for guidance.</summary>
    public int? NumClasses { get; init; }

    /// <summary>Width of pooled caption vectors for text conditioning; null for none. A learned null caption is added for guidance.</summary>
    public int? TextDim { get; init; }

    /// <summary>Channels of the first-frame feature map (tau) concatenated to the input; 0 for no first-frame conditioning.</summary>
    public int FirstFrameChannels { get; init; }

    /// <summary>
    /// How much smaller the U-Net's input is than the first frame: 1 for VDM/D-VDM, 16 for ED-VDM's
    /// block grid. With <see cref="PatchSize"/> p, tau's feature map is p times smaller still, the size of level 0.
    /// </summary>
    public int FirstFrameFactor { get; init; } = 1;

    /// <summary>
    /// Frame indices the network tells apart through a learned embedding added to the time embedding
    /// (VideoFusion's residual generator, conditioned on the frame number i); 0 for none.
    /// </summary>
    public int FrameIndices { get; init; }

    /// <summary>
    /// Whether a learned embedding of each frame's absolute index is added after the input convolution
    /// (<see cref="Conditioning.FramePositionEmbedding"/>). Off in checkpoints written before it existed;
    /// on for the VDM, D-VDM and ED-VDM models <c>train</c> builds.
    /// </summary>
    public bool FramePositions { get; init; }

    /// <summary>
    /// Side p of the square patches folded into channels before <c>conv_in</c> and unfolded after
    /// <c>conv_out</c> (<see cref="Blocks.VideoPatches"/>), so every level works at 1/p of the input
    /// size: the patched U-Net of "simple diffusion" (Hoogeboom et al., 2023), which moves the
    /// costly full-size level off the critical path. 1 (the default, and every checkpoint written
    /// before it existed) = no patches, the papers' U-Net.
    /// </summary>
    public int PatchSize { get; init; } = 1;

    /// <summary>Number of levels.</summary>
    [JsonIgnore]
    public int Levels => ChannelMultipliers.Count;

    /// <summary>Width of the time+condition embedding (4x <see cref="BaseChannels"/>, as in DDPM).</summary>
    [JsonIgnore]
    public int EmbeddingDim => 4 * BaseChannels;

    /// <summary>H and W must be multiples of this: the patches divide them by p, then each level but the last halves them.</summary>
    [JsonIgnore]
    public int SizeDivisor => PatchSize << (Levels - 1);

    /// <summary>Width of level <paramref name="level"/>.</summary>
    public int Width(int level) => BaseChannels * ChannelMultipliers[level];

    /// <summary>Throws an <see cref="ArgumentException"/> listing every inconsistent field.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (InChannels < 1) problems.Add($"in_channels must be >= 1 (got {InChannels})");
        if (OutChannels < 1) problems.Add($"out_channels must be >= 1 (got {OutChannels})");
        if (BaseChannels < 1 || BaseChannels % 2 != 0) problems.Add($"base_channels must be even and >= 2 (got {BaseChannels})");
        if (ChannelMultipliers is null || ChannelMultipliers.Count == 0 || ChannelMultipliers.Any(m => m < 1))
            problems.Add("channel_multipliers must list at least one level, each >= 1");
        if (ResBlocksPerLevel < 1) problems.Add($"res_blocks_per_level must be >= 1 (got {ResBlocksPerLevel})");
        if (AttentionLevels is null || AttentionLevels.Any(l => l < 0 || l >= (ChannelMultipliers?.Count ?? 0)))
            problems.Add($"attention_levels must be level indices in [0, {ChannelMultipliers?.Count ?? 0})");
        if (AttentionHeads < 1 || AttentionHeadDim < 1) problems.Add($"attention_heads and attention_head_dim must be >= 1 (got {AttentionHeads} and {AttentionHeadDim})");
        if (MaxFrames < 1) problems.Add($"max_frames must be >= 1 (got {MaxFrames})");
        if (!(Dropout >= 0 && Dropout < 1)) problems.Add($"dropout must lie in [0, 1) (got {Dropout})");
        if (NormGroups < 1) problems.Add($"norm_groups must be >= 1 (got {NormGroups})");
        if (NumClasses is < 1) problems.Add($"num_classes must be >= 1 when set (got {NumClasses})");
        if (TextDim is < 1) problems.Add($"text_dim must be >= 1 when set (got {TextDim})");
        if (FirstFrameChannels < 0) problems.Add($"first_frame_channels must be >= 0 (got {FirstFrameChannels})");
        if (FrameIndices < 0) problems.Add($"frame_indices must be >= 0 (got {FrameIndices})");
        if (FirstFrameFactor < 1) problems.Add($"first_frame_factor must be >= 1 (got {FirstFrameFactor})");
        if (PatchSize < 1) problems.Add($"patch_size must be >= 1 (got {PatchSize})");
        if (problems.Count > 0)
            throw new ArgumentException($"invalid U-Net configuration: {string.Join("; ", problems)}.");
    }

    /// <summary>
    /// Why an input of <paramref name="frames"/> x <paramref name="height"/> x <paramref name="width"/>
    /// does not fit this U-Net, or null when it does (callers turn the sentence into a user error).
    /// </summary>
    public string? InputSizeProblem(long frames, long height, long width)
    {
        if (frames < 1 || height < 1 || width < 1)
            return $"the input must have at least one frame and pixel, got {frames}x{height}x{width} (TxHxW)";
        if (height % SizeDivisor != 0 || width % SizeDivisor != 0)
            return PatchSize == 1
                ? $"a U-Net with {Levels} levels halves H and W {Levels - 1} times, so they must be multiples of {SizeDivisor}; got {height}x{width}"
                : $"a U-Net with {PatchSize}x{PatchSize} patches and {Levels} levels divides H and W by {PatchSize}, then halves them {Levels - 1} times, so they must be multiples of {SizeDivisor}; got {height}x{width}";
        if ((TemporalAttention || FramePositions) && frames > MaxFrames)
            return $"temporal attention and frame positions cover at most max_frames = {MaxFrames} frames, got {frames}";
        return null;
    }
}
