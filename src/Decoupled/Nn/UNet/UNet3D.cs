using Decoupled.Nn.Blocks;
using Decoupled.Nn.Conditioning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Upsample = Decoupled.Nn.Blocks.Upsample;

namespace Decoupled.Nn.UNet;

/// <summary>
/// The denoising 3D U-Net eps_theta(x_t, t, y, tau(v_0)) of VDM, D-VDM and ED-VDM:
/// <code>
/// e = ConditionEmbedding(t, y)                           time ++ class/caption, projected
/// h = conv_in([Fold_p(x_t), tau(first frame) at every frame])  channel-wise concatenation (equation 7);
///                                                        Fold_p: p x p patches into channels (p = 1: none)
///     + position(frame index)                            optional, see FramePositionEmbedding
/// down:   per level, blocks (ResNet, spatial attention?, temporal attention?), keep skips, downsample
/// middle: ResNet, spatial attention, temporal attention, ResNet
/// up:     per level (deepest first), blocks on [h, skip], upsample
/// eps = Unfold_p(conv_out(SiLU(GroupNorm(h))))          zero-initialised: a fresh U-Net predicts 0
/// </code>
/// Convolutions are spatial (1x3x3); frames interact only through temporal attention.
/// State-dict names: <c>condition.*</c>, <c>first_frame.*</c>, <c>conv_in.*</c>, <c>frame_position.table</c>,
/// <c>down.{level}.blocks.{i}.{resnet|spatial_attention|temporal_attention}.*</c>,
/// <c>down.{level}.downsample.conv.*</c>, <c>middle.{resnet1|spatial_attention|temporal_attention|resnet2}.*</c>,
/// <c>up.{k}.blocks.{i}.*</c> and <c>up.{k}.upsample.conv.*</c> (k = 0 is the deepest level),
/// <c>norm_out.*</c>, <c>conv_out.*</c>. Throughout <c>Decoupled.Nn</c> a submodule's state-dict name is
/// its field name (TorchSharp's <c>RegisterComponents</c> registers fields by name, and registering
/// under another name would store the tensors twice), hence the snake_case fields.
/// </summary>
public sealed class UNet3D : nn.Module<Tensor, Tensor, UNetConditioning, Tensor>
{
    private readonly ConditionEmbedding condition;
    private readonly FirstFrameEncoder? first_frame;
    private readonly SpatialConv conv_in;
    private readonly FramePositionEmbedding? frame_position;
    private readonly ModuleList<DownLevel> down;
    private readonly MiddleBlock middle;
    private readonly ModuleList<UpLevel> up;
    private readonly GroupNorm norm_out;
    private readonly SpatialConv conv_out;

    /// <summary>Builds the network <paramref name="config"/> describes (validated first).</summary>
    public UNet3D(UNet3DConfig config) : base(nameof(UNet3D))
    {
        ArgumentNullException.ThrowIfNull(config);
        Runtime.TorchRuntime.Initialize();
        config.Validate();
        Config = config;
        long groups = config.NormGroups, embedding = config.EmbeddingDim;

        ResnetAttentionBlock Block(long inChannels, int level) => new(
            new ResnetBlock3D(inChannels, config.Width(level), embedding, groups, config.Dropout),
            config.AttentionLevels.Contains(level) ? Spatial(config.Width(level)) : null,
            config.TemporalAttention ? Temporal(config.Width(level)) : null);
        SpatialAttention Spatial(long width) => new(width, config.AttentionHeads, config.AttentionHeadDim, groups);
        TemporalAttention Temporal(long width) => new(width, config.AttentionHeads, config.AttentionHeadDim, groups, config.MaxFrames);

        condition = new ConditionEmbedding(config.BaseChannels, embedding, config.NumClasses, config.TextDim, config.FrameIndices);
        if (config.FirstFrameChannels > 0)
            first_frame = new FirstFrameEncoder(config.FirstFrameChannels, config.FirstFrameFactor * config.PatchSize, groups);
        long patchArea = (long)config.PatchSize * config.PatchSize;
        conv_in = Layers.SpatialConv(config.InChannels * patchArea + config.FirstFrameChannels, config.BaseChannels);
        if (config.FramePositions)
            frame_position = new FramePositionEmbedding(config.BaseChannels, config.MaxFrames);

        var downLevels = new List<DownLevel>();
        long channels = config.BaseChannels;
        for (int level = 0; level < config.Levels; level++)
        {
            var blocks = new List<ResnetAttentionBlock>();
            for (int i = 0; i < config.ResBlocksPerLevel; i++, channels = config.Width(level))
                blocks.Add(Block(channels, level));
            bool last = level == config.Levels - 1;
            downLevels.Add(new DownLevel(blocks, last ? null : new Downsample(channels)));
        }

        middle = new MiddleBlock(
            new ResnetBlock3D(channels, channels, embedding, groups, config.Dropout),
            Spatial(channels),
            config.TemporalAttention ? Temporal(channels) : null,
            new ResnetBlock3D(channels, channels, embedding, groups, config.Dropout));

        var upLevels = new List<UpLevel>();
        for (int level = config.Levels - 1; level >= 0; level--)
        {
            var blocks = new List<ResnetAttentionBlock>();
            for (int i = 0; i < config.ResBlocksPerLevel; i++, channels = config.Width(level))
                blocks.Add(Block(channels + config.Width(level), level));
            upLevels.Add(new UpLevel(blocks, level == 0 ? null : new Upsample(channels)));
        }

        down = nn.ModuleList(downLevels.ToArray());
        up = nn.ModuleList(upLevels.ToArray());
        norm_out = Layers.GroupNorm(config.BaseChannels, groups);
        conv_out = Layers.ZeroInit(Layers.SpatialConv(config.BaseChannels, config.OutChannels * patchArea));
        RegisterComponents();
    }

    /// <summary>The configuration this network was built from.</summary>
    public UNet3DConfig Config { get; }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Predicts <c>[B, out_channels, T, H, W]</c> from the noisy input <paramref name="x"/>
    /// <c>[B, in_channels, T, H, W]</c>, timesteps <paramref name="t"/> <c>[B]</c> and <paramref name="conditioning"/>.
    /// </summary>
    public override Tensor forward(Tensor x, Tensor t, UNetConditioning conditioning)
    {
        ArgumentNullException.ThrowIfNull(conditioning);
        CheckInput(x, t);
        using var scope = torch.NewDisposeScope();
        var embedding = condition.call(t, conditioning);
        var h = conv_in.call(WithFirstFrame(VideoPatches.Fold(x, Config.PatchSize), conditioning));
        if (frame_position is not null)
            h = frame_position.call(h);

        var skips = new List<Tensor[]>();
        foreach (var level in down)
        {
            (h, var levelSkips) = level.call(h, embedding);
            skips.Add(levelSkips);
        }
        h = middle.call(h, embedding);
        for (int k = 0; k < up.Count; k++)
            h = up[k].call(h, skips[^(k + 1)], embedding);

        var output = conv_out.call(nn.functional.silu(norm_out.call(h)));
        return VideoPatches.Unfold(output, Config.PatchSize).MoveToOuterDisposeScope();
    }

    /// <summary>Multiply-accumulates and FLOPs of one forward pass on <paramref name="batch"/> clips of the given size (see <see cref="UNet3DFlops"/>).</summary>
    public FlopCount CountFlops(long batch, long frames, long height, long width) =>
        UNet3DFlops.Count(Config, batch, frames, height, width);

    /// <summary><paramref name="x"/> (already folded into patches) with tau's features of the first frame on its channels.</summary>
    private Tensor WithFirstFrame(Tensor x, UNetConditioning conditioning)
    {
        if (first_frame is null)
        {
            if (conditioning.FirstFrame is not null)
                throw new ArgumentException("a first frame was given, but this U-Net has no first-frame encoder (first_frame_channels is 0).");
            return x;
        }
        var frame = conditioning.FirstFrame
            ?? throw new ArgumentException("this U-Net is conditioned on the first frame: pass UNetConditioning.FirstFrame [B, 3, H, W].");
        long f = Config.FirstFrameFactor, p = Config.PatchSize;
        long[] expected = [x.shape[0], first_frame.ImageChannels, x.shape[3] * p * f, x.shape[4] * p * f];
        if (!frame.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"the first frame must be [{string.Join(",", expected)}] (first_frame_factor {f} times the input's {x.shape[3] * p}x{x.shape[4] * p}), got [{string.Join(",", frame.shape)}].");
        var features = first_frame.call(frame.to(x.dtype));
        return torch.cat([x, FirstFrameEncoder.OverTime(features, x.shape[2])], 1);
    }

    private void CheckInput(Tensor x, Tensor t)
    {
        if (x.dim() != 5 || x.shape[1] != Config.InChannels)
            throw new ArgumentException($"the U-Net input must be [B, {Config.InChannels}, T, H, W], got [{string.Join(",", x.shape)}].", nameof(x));
        if (Config.InputSizeProblem(x.shape[2], x.shape[3], x.shape[4]) is string problem)
            throw new ArgumentException(problem + ".", nameof(x));
        if (t.dim() != 1 || t.shape[0] != x.shape[0])
            throw new ArgumentException($"timesteps must be [{x.shape[0]}] (one per clip), got [{string.Join(",", t.shape)}].", nameof(t));
    }
}
