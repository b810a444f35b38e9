using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// E of the residual autoencoder: <c>conv_in</c>, per level residual blocks and a stride-2
/// downsampling (all but the last level), a middle (ResNet, attention, ResNet), then
/// <c>conv_out(SiLU(GN(h)))</c> to the posterior's mean and log-variance <c>[B, 2C, H/f, W/f]</c>,
/// plus, when configured, a <see cref="LinearPatchShortcut"/> on the mean.
/// </summary>
public sealed class VaeEncoder : nn.Module<Tensor, Tensor>
{
    private readonly FrameConv conv_in;
    private readonly ModuleList<VaeLevel> down;
    private readonly ResnetBlock2D mid_block1;
    private readonly AttentionBlock2D mid_attention;
    private readonly ResnetBlock2D mid_block2;
    private readonly GroupNorm norm_out;
    private readonly FrameConv conv_out;
    private readonly LinearPatchShortcut? shortcut;

    /// <summary>Log-variance the posterior starts with (standard deviation about 0.02).</summary>
    public const double InitialLogVariance = -8.0;
    private readonly int latentChannels;

    /// <summary>The encoder <paramref name="config"/> describes.</summary>
    public VaeEncoder(ResidualVaeConfig config) : base(nameof(VaeEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        long groups = config.NormGroups, channels = config.Width(0);
        conv_in = new FrameConv(config.ImageChannels, channels, 3);
        var levels = new List<VaeLevel>();
        for (int level = 0; level < config.ChannelMultipliers.Count; level++)
        {
            var blocks = new List<ResnetBlock2D>();
            for (int i = 0; i < config.ResBlocksPerLevel; i++, channels = config.Width(level))
                blocks.Add(new ResnetBlock2D(channels, config.Width(level), groups));
            bool last = level == config.ChannelMultipliers.Count - 1;
            levels.Add(new VaeLevel(blocks, last ? null : new Resample2D(channels, up: false)));
        }
        down = nn.ModuleList(levels.ToArray());
        mid_block1 = new ResnetBlock2D(channels, channels, groups);
        mid_attention = new AttentionBlock2D(channels, groups);
        mid_block2 = new ResnetBlock2D(channels, channels, groups);
        norm_out = Layers.GroupNorm(channels, groups);
        conv_out = new FrameConv(channels, 2 * config.LatentChannels, 3);
        latentChannels = config.LatentChannels;
        // Start nearly deterministic. With log-variance 0 a sample carries unit noise, and the
        // 1e-6 KL term lets it fall only as fast as Adam moves one bias (about lr per step), so a
        // short run decodes noisy latents and learns blur; latent diffusion's long runs end near
        // deterministic anyway.
        using (no_grad())
            conv_out.Bias!.narrow(0, config.LatentChannels, config.LatentChannels).fill_(InitialLogVariance);
        if (config.LinearShortcut)
            shortcut = new LinearPatchShortcut(config.ImageChannels, config.LatentChannels, config.DownsamplingFactor, encode: true);
        RegisterComponents();
    }

    /// <summary>
    /// Makes the posterior mean exactly the linear patch code <paramref name="projection"/>
    /// <c>[C, 3 f f]</c>: the shortcut takes it and the deep path's mean output starts at zero.
    /// </summary>
    internal void StartFromLinearCode(Tensor projection)
    {
        if (shortcut is null) throw new InvalidOperationException("this encoder has no linear shortcut");
        shortcut.SetLinearMap(projection);
        using var noGrad = no_grad();
        conv_out.Weight.narrow(0, 0, latentChannels).zero_();
        conv_out.Bias!.narrow(0, 0, latentChannels).zero_();
    }

    /// <summary>A frame batch <c>[B, 3, H, W]</c> to moments <c>[B, 2C, H/f, W/f]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv_in.call(x);
        foreach (var level in down) h = level.call(h);
        h = mid_block2.call(mid_attention.call(mid_block1.call(h)));
        var moments = conv_out.call(nn.functional.silu(norm_out.call(h)));
        if (shortcut is not null)
        {
            // The linear patch code adds to the mean only; the log-variance stays the deep path's.
            var mean = moments.narrow(1, 0, latentChannels) + shortcut.call(x);
            moments = cat([mean, moments.narrow(1, latentChannels, latentChannels)], 1);
        }
        return moments.MoveToOuterDisposeScope();
    }
}
