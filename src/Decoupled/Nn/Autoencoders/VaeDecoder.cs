using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// D of the residual autoencoder, the encoder mirrored: <c>conv_in</c> from the latent, a middle
/// (ResNet, attention, ResNet), per level (deepest first) one more residual block than the
/// encoder and a nearest-neighbour upsampling (all but the last), then <c>conv_out(SiLU(GN(h)))</c>,
/// plus, when configured, a <see cref="LinearPatchShortcut"/> from the latent.
/// </summary>
public sealed class VaeDecoder : nn.Module<Tensor, Tensor>
{
    private readonly FrameConv conv_in;
    private readonly ResnetBlock2D mid_block1;
    private readonly AttentionBlock2D mid_attention;
    private readonly ResnetBlock2D mid_block2;
    private readonly ModuleList<VaeLevel> up;
    private readonly GroupNorm norm_out;
    private readonly FrameConv conv_out;
    private readonly LinearPatchShortcut? shortcut;

    /// <summary>The decoder <paramref name="config"/> describes.</summary>
    public VaeDecoder(ResidualVaeConfig config) : base(nameof(VaeDecoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        long groups = config.NormGroups;
        int levels = config.ChannelMultipliers.Count;
        long channels = config.Width(levels - 1);
        conv_in = new FrameConv(config.LatentChannels, channels, 3);
        mid_block1 = new ResnetBlock2D(channels, channels, groups);
        mid_attention = new AttentionBlock2D(channels, groups);
        mid_block2 = new ResnetBlock2D(channels, channels, groups);
        var upLevels = new List<VaeLevel>();
        for (int level = levels - 1; level >= 0; level--)
        {
            var blocks = new List<ResnetBlock2D>();
            for (int i = 0; i < config.ResBlocksPerLevel + 1; i++, channels = config.Width(level))
                blocks.Add(new ResnetBlock2D(channels, config.Width(level), groups));
            upLevels.Add(new VaeLevel(blocks, level == 0 ? null : new Resample2D(channels, up: true)));
        }
        up = nn.ModuleList(upLevels.ToArray());
        norm_out = Layers.GroupNorm(channels, groups);
        conv_out = new FrameConv(channels, config.ImageChannels, 3);
        if (config.LinearShortcut)
            shortcut = new LinearPatchShortcut(config.ImageChannels, config.LatentChannels, config.DownsamplingFactor, encode: false);
        RegisterComponents();
    }

    /// <summary>Makes the output exactly the linear map <paramref name="inverse"/> <c>[3 f f, C]</c> of the latent: the deep path starts at zero.</summary>
    internal void StartFromLinearCode(Tensor inverse)
    {
        if (shortcut is null) throw new InvalidOperationException("this decoder has no linear shortcut");
        shortcut.SetLinearMap(inverse);
        using var noGrad = no_grad();
        conv_out.Weight.zero_();
        conv_out.Bias!.zero_();
    }

    /// <summary>A latent batch <c>[B, C, h, w]</c> to frames <c>[B, 3, h*f, w*f]</c>.</summary>
    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var h = mid_block2.call(mid_attention.call(mid_block1.call(conv_in.call(z))));
        foreach (var level in up) h = level.call(h);
        var output = conv_out.call(nn.functional.silu(norm_out.call(h)));
        if (shortcut is not null) output = output + shortcut.call(z);
        return output.MoveToOuterDisposeScope();
    }
}
