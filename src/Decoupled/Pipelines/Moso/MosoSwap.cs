using Decoupled.Nn.Moso;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Scene/object swap (Figure 5 of the paper): the objects and motion of one clip decoded into the
/// scene of another, by exchanging token maps before MOSO-VQVAE's decoder.
/// </summary>
public static class MosoSwap
{
    /// <summary>
    /// The clip with <paramref name="sceneSource"/>'s scene and <paramref name="objectSource"/>'s
    /// objects and motion; both clips have the VQ-VAE's frame count and size.
    /// </summary>
    /// <exception cref="UserInputException">The VQ-VAE is the non-decomposed ablation, which has no scene or object tokens.</exception>
    public static VideoClip Swap(MosoVqVae vqvae, VideoClip sceneSource, VideoClip objectSource)
    {
        ArgumentNullException.ThrowIfNull(vqvae);
        if (!vqvae.Config.Decomposed) throw new UserInputException("this VQ-VAE is the non-decomposed ablation: it has no scene and object tokens to swap");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var scene = MosoTokens.Encode(vqvae, ClipTensor.ToBatch([sceneSource]));
        using var objects = MosoTokens.Encode(vqvae, ClipTensor.ToBatch([objectSource]));
        var decoded = vqvae.DecodeTokens(scene.Scene, objects.Object, objects.Motion).clamp(-1, 1);
        return ClipTensor.FromBatch(decoded, objectSource.FramesPerSecond)[0];
    }
}
