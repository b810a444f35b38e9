using Decoupled.Pipelines.Data;
using Decoupled.Tensors;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>
/// A training batch: clips <c>[B, 3, K, H, W]</c> in [-1, 1] with their class ids and captions, or,
/// from a <see cref="TargetCache"/>, only the first frames <c>[B, 3, 1, H, W]</c> with the
/// precomputed diffusion targets.
/// </summary>
/// <param name="Video">The clips (or their first frames when <paramref name="Target"/> is given).</param>
/// <param name="ClassIds">Class ids <c>[B]</c> (int64).</param>
/// <param name="Captions">Captions.</param>
/// <param name="Target">The target-space encoding x0 of the clips, when it was computed ahead of training.</param>
/// <param name="SubjectIds">Subject (identity) ids <c>[B]</c> (int64, -1 where unknown), for VideoFusion's noise sharing by subject (section 4.7).</param>
public sealed record VideoBatch(Tensor Video, Tensor ClassIds, IReadOnlyList<string> Captions, Tensor? Target = null, Tensor? SubjectIds = null) : IDisposable
{
    /// <summary>The batch of <paramref name="step"/> drawn from <paramref name="source"/>.</summary>
    public static VideoBatch Draw(IClipSource source, long step, int batchSize)
    {
        var items = Enumerable.Range(0, batchSize).Select(slot => source.Draw(step, slot)).ToList();
        return new VideoBatch(
            ClipTensor.ToBatch(items.Select(i => i.Clip).ToList()),
            tensor(items.Select(i => (long)i.ClassId).ToArray()),
            items.Select(i => i.Caption).ToList(),
            SubjectIds: tensor(items.Select(i => (long)i.SubjectId).ToArray()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Video.Dispose();
        ClassIds.Dispose();
        Target?.Dispose();
        SubjectIds?.Dispose();
    }
}
