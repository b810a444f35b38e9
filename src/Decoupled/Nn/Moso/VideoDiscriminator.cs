using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// A patch video discriminator for MOSO-VQVAE's adversarial term (appendix C.4, Table 10): strided
/// 3D convolutions over <c>[B, 3, T, H, W]</c> with GroupNorm and LeakyReLU, ending in a map of
/// real/fake logits that judges clips, not single frames.
/// </summary>
public sealed class VideoDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv3d> convs;
    private readonly ModuleList<GroupNorm> norms;
    private readonly Conv3d head;

    /// <summary>A discriminator of base width <paramref name="width"/> with <paramref name="levels"/> downsampling levels.</summary>
    public VideoDiscriminator(int width = 32, int levels = 3) : base(nameof(VideoDiscriminator))
    {
        if (width < 1 || levels < 1) throw new ArgumentException($"the discriminator needs width and levels >= 1, got {width} and {levels}");
        var channels = Enumerable.Range(0, levels).Select(i => (long)width << i).ToArray();
        convs = nn.ModuleList(Enumerable.Range(0, levels).Select(i => nn.Conv3d(i == 0 ? 3 : channels[i - 1], channels[i], 3, stride: 2, padding: 1)).ToArray());
        norms = nn.ModuleList(Enumerable.Range(0, levels).Select(i => Layers.GroupNorm(channels[i], 8)).ToArray());
        head = nn.Conv3d(channels[^1], 1, 3, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor video)
    {
        using var scope = NewDisposeScope();
        var h = video;
        for (int i = 0; i < convs.Count; i++)
        {
            h = convs[i].call(h);
            if (i > 0) h = norms[i].call(h);
            h = nn.functional.leaky_relu(h, 0.2);
        }
        return head.call(h).MoveToOuterDisposeScope();
    }
}

/// <summary>The hinge GAN losses (Lim and Ye 2017), as VQGAN uses them.</summary>
public static class HingeLoss
{
    /// <summary>mean(relu(1 - D(real))) + mean(relu(1 + D(fake))), halved.</summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits)
    {
        using var scope = NewDisposeScope();
        var loss = 0.5 * (nn.functional.relu(1 - realLogits).mean() + nn.functional.relu(1 + fakeLogits).mean());
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>-mean(D(fake)).</summary>
    public static Tensor Generator(Tensor fakeLogits) => -fakeLogits.mean();
}
