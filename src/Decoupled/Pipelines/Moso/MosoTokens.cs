using Decoupled.Nn.Moso;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>A clip batch as MOSO tokens (int64).</summary>
/// <param name="Scene">Scene tokens <c>[B, h, w]</c>; null for the non-decomposed ablation.</param>
/// <param name="Object">Object tokens <c>[B, h, w]</c>; null for the non-decomposed ablation.</param>
/// <param name="Motion">Motion tokens <c>[B, T, h', w']</c> (frame tokens for the non-decomposed ablation).</param>
public sealed record MosoTokenSet(Tensor? Scene, Tensor? Object, Tensor Motion) : IDisposable
{
    /// <summary>Scene then object tokens as one sequence <c>[B, 2hw]</c> (TransformerSO's layout).</summary>
    public Tensor SceneObjectSequence() => torch.cat([Scene!.flatten(1), Object!.flatten(1)], 1);

    /// <summary>Motion tokens as one sequence <c>[B, T h' w']</c>, frame-major.</summary>
    public Tensor MotionSequence() => Motion.flatten(1);

    /// <inheritdoc />
    public void Dispose()
    {
        Scene?.Dispose();
        Object?.Dispose();
        Motion.Dispose();
    }
}

/// <summary>Tokenisation through a frozen MOSO-VQVAE.</summary>
public static class MosoTokens
{
    /// <summary>
    /// The tokens of raw clips <paramref name="video"/> <c>[B, 3, T, H, W]</c> in [-1, 1]: after the
    /// preprocessing phase the scene and object encoders read raw frames, and the motion encoder
    /// the frame difference (the non-decomposed ablation's frame-wise encoder reads raw frames).
    /// Runs without gradients and never updates the codebook.
    /// </summary>
    public static MosoTokenSet Encode(MosoVqVae vqvae, Tensor video)
    {
        ArgumentNullException.ThrowIfNull(vqvae);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = vqvae.training;
        vqvae.eval();
        try
        {
            var encoding = vqvae.Config.Decomposed
                ? vqvae.Encode(video, video, MosoInputs.FrameDifference(video))
                : vqvae.Encode(null, null, video);
            var set = new MosoTokenSet(encoding.SceneTokens?.MoveToOuterDisposeScope(), encoding.ObjectTokens?.MoveToOuterDisposeScope(), encoding.MotionTokens.MoveToOuterDisposeScope());
            return set;
        }
        finally
        {
            if (wasTraining) vqvae.train();
        }
    }

    /// <summary>Frames, scene/object positions and motion positions per frame of a VQ-VAE config.</summary>
    public static (int SceneTokens, int MotionTokensPerFrame) GridSizes(MosoVqVaeNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (h, w) = config.ContentGrid;
        var (mh, mw) = config.MotionGrid;
        return (h * w, mh * mw);
    }
}
