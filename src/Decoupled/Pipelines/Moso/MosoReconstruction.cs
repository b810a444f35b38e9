using Decoupled.Metrics.Frame;
using Decoupled.Nn.Moso;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>Reconstructions of clips by a MOSO-VQVAE, with the scene-only and object-only decodings of appendix C.3.</summary>
/// <param name="Reconstructions">Every stream decoded.</param>
/// <param name="SceneOnly">Scene tokens with the object and motion features zeroed (null for the non-decomposed ablation).</param>
/// <param name="ObjectOnly">Object and motion with the scene zeroed ("objects with motion").</param>
public sealed record MosoViews(IReadOnlyList<VideoClip> Reconstructions, IReadOnlyList<VideoClip>? SceneOnly, IReadOnlyList<VideoClip>? ObjectOnly);

/// <summary>Reconstruction through MOSO-VQVAE and its quality (the appendix's Table C.1 analogue).</summary>
public static class MosoReconstruction
{
    /// <summary>Encodes <paramref name="clips"/> from raw frames and decodes them every way appendix C.3 shows.</summary>
    public static MosoViews Views(MosoVqVae vqvae, IReadOnlyList<VideoClip> clips)
    {
        ArgumentNullException.ThrowIfNull(vqvae);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = MosoTokens.Encode(vqvae, ClipTensor.ToBatch(clips));
        var full = DecodeAll(vqvae, tokens);
        if (tokens.Scene is null) return new MosoViews(full, null, null);
        var sceneOnly = ClipTensor.FromBatch(vqvae.DecodeTokens(tokens.Scene, null, null, tokens.Motion.shape[1]).clamp(-1, 1));
        var objectOnly = ClipTensor.FromBatch(vqvae.DecodeTokens(null, tokens.Object, tokens.Motion).clamp(-1, 1));
        return new MosoViews(full, sceneOnly, objectOnly);
    }

    /// <summary>The clips encoded from raw frames and decoded from all three streams (what <see cref="Views"/> shows first, without its extra decodings).</summary>
    public static IReadOnlyList<VideoClip> Reconstruct(MosoVqVae vqvae, IReadOnlyList<VideoClip> clips)
    {
        ArgumentNullException.ThrowIfNull(vqvae);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return DecodeAll(vqvae, MosoTokens.Encode(vqvae, ClipTensor.ToBatch(clips)));
    }

    private static VideoClip[] DecodeAll(MosoVqVae vqvae, MosoTokenSet tokens) =>
        ClipTensor.FromBatch(vqvae.DecodeTokens(tokens.Scene, tokens.Object, tokens.Motion).clamp(-1, 1));

    /// <summary>
    /// Reconstruction PSNR and SSIM of each of <paramref name="clips"/> (mean over its frames from
    /// <paramref name="firstScoredFrame"/> on); <paramref name="clipDone"/> is called after each clip.
    /// </summary>
    public static (List<double> Psnr, List<double> Ssim) Quality(MosoVqVae vqvae, IReadOnlyList<VideoClip> clips, int batchSize = 8,
        Action? clipDone = null, CancellationToken cancellation = default, int firstScoredFrame = 0)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count > 0) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstScoredFrame, clips[0].Frames);
        ArgumentOutOfRangeException.ThrowIfNegative(firstScoredFrame);
        var psnr = new List<double>();
        var ssim = new List<double>();
        for (int start = 0; start < clips.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var chunk = clips.Skip(start).Take(batchSize).ToList();
            var rebuilt = Reconstruct(vqvae, chunk);
            for (int i = 0; i < chunk.Count; i++)
            {
                int scored = chunk[i].Frames - firstScoredFrame;
                var truth = chunk[i].Slice(firstScoredFrame, scored);
                var guess = rebuilt[i].Slice(firstScoredFrame, scored);
                psnr.Add(Psnr.Clip(truth, guess));
                ssim.Add(Ssim.Clip(truth, guess));
                clipDone?.Invoke();
            }
        }
        return (psnr, ssim);
    }
}
