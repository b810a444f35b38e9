using Decoupled.Generators.MaskedTokens;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// MOSO-Transformer's decoding (section 3.2.1): the target's scene and object tokens first
/// (TransformerSO, from the pseudo video's), then the guidance embeddings (TransformerG), then
/// the motion tokens of the frames not given by iterative masked decoding (TransformerM), and
/// finally the frames through the VQ-VAE's time-independent decoder. Only the given frames of a
/// clip are ever read: the pseudo video is built from them alone.
/// </summary>
public sealed class MosoSampler(MosoTransformerConfig config, MosoTransformerTrainingNetwork network)
{
    /// <summary>
    /// Completes <paramref name="video"/> <c>[B, 3, T, H, W]</c> in [-1, 1] under
    /// <paramref name="layout"/> (only its given frames are read). Returns the clips with the given
    /// frames as they were and the rest generated.
    /// </summary>
    public VideoClip[] Sample(MosoTaskLayout layout, Tensor video, MosoSampleOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(video);
        using var scope = NewDisposeScope();
        var decoded = SampleTensor(layout, video, video.shape[0], options, generator);
        var given = torch.tensor(layout.Given.ToArray()).view(1, 1, -1, 1, 1);
        return ClipTensor.FromBatch(torch.where(given, video, decoded));
    }

    /// <summary><paramref name="count"/> unconditional clips.</summary>
    public VideoClip[] Generate(int count, MosoSampleOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        return ClipTensor.FromBatch(SampleTensor(config.Layout(MosoTask.Unconditional), null, count, options, generator));
    }

    /// <summary>
    /// The decoded clips <c>[B, 3, T, H, W]</c> in [-1, 1] (every frame decoded from tokens).
    /// <paramref name="video"/> may be null only for the unconditional layout.
    /// </summary>
    public Tensor SampleTensor(MosoTaskLayout layout, Tensor? video, long count, MosoSampleOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var tokens = SampleTokens(layout, video, count, options, generator);
        var decoded = network.VqVae.DecodeTokens(tokens.Scene, tokens.Object, tokens.Motion).clamp(-1, 1);
        return decoded.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The sampled tokens of <paramref name="count"/> clips: scene and object <c>[B, h, w]</c> (null
    /// for the non-decomposed ablation) and motion <c>[B, T, h', w']</c>, the given frames' motion
    /// tokens among them as encoded. <paramref name="video"/> may be null only for the unconditional layout.
    /// </summary>
    public MosoTokenSet SampleTokens(MosoTaskLayout layout, Tensor? video, long count, MosoSampleOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        if (video is null && layout.Task != MosoTask.Unconditional) throw new ArgumentException("prediction and interpolation need the given frames");
        if (video is null && options.SceneObjectSource == MosoSceneObjectSource.Given)
            throw new ArgumentException("the scene and object tokens can be taken from the given frames only when frames are given");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.eval();
        var transformer = network.Transformer;
        var vqvae = network.VqVae;
        long maskId = config.Net.CodebookSize;
        var (sceneTokens, motionPerFrame) = MosoTokens.GridSizes(config.VqVae.Net);
        int frames = config.VqVae.Frames;
        MosoTokenSet? pseudo = video is null ? null : MosoTokens.Encode(vqvae, layout.PseudoVideo(video));

        Tensor? guidance = null;
        Tensor? scene = null, obj = null;
        if (config.Net.Decomposed)
        {
            var pseudoSceneObject = pseudo?.SceneObjectSequence() ?? torch.full(count, 2L * sceneTokens, maskId, dtype: ScalarType.Int64);
            var sceneObject = options.SceneObjectSource == MosoSceneObjectSource.Given
                ? pseudoSceneObject
                : MaskGitDecoder.Decode(t => transformer.SceneObjectLogits(pseudoSceneObject, t),
                    torch.full(count, 2L * sceneTokens, maskId, dtype: ScalarType.Int64), maskId, options.SceneObject, generator);
            guidance = transformer.Guidance(sceneObject);
            var (h, w) = config.VqVae.Net.ContentGrid;
            scene = sceneObject[.., TensorIndex.Slice(0, sceneTokens)].reshape(count, h, w).MoveToOuterDisposeScope();
            obj = sceneObject[.., TensorIndex.Slice(sceneTokens)].reshape(count, h, w).MoveToOuterDisposeScope();
        }

        var known = torch.tensor(layout.KnownMotionPositions(motionPerFrame)).unsqueeze(0).expand(count, -1);
        var motionStart = pseudo is null
            ? torch.full(count, (long)frames * motionPerFrame, maskId, dtype: ScalarType.Int64)
            : torch.where(known, pseudo.MotionSequence(), torch.full_like(pseudo.MotionSequence(), maskId));
        var motion = MaskGitDecoder.Decode(t => transformer.MotionLogits(guidance, t), motionStart, maskId, options.Motion, generator);
        var (mh, mw) = config.VqVae.Net.MotionGrid;
        return new MosoTokenSet(scene, obj, motion.reshape(count, frames, mh, mw).MoveToOuterDisposeScope());
    }
}
