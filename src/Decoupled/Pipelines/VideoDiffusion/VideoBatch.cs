using Decoupled.Pipelines.Data;
using Decoupled.Tensors;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>A training batch: clips <c>[B, 3, K, H, W]</c> in [-1, 1] with their class ids and captions.</summary>
/// <param name="Video">The clips.</param>
/// <param name="ClassIds">Class ids <c>[B]</c> (int64).</param>
/// <param name="Captions">Captions.</param>
public sealed record VideoBatch(Tensor Video, Tensor ClassIds, IReadOnlyList<string> Captions) : IDisposable
{
    /// <summary>The batch of <paramref name="step"/> drawn from <paramref name="source"/>.</summary>
    public static VideoBatch Draw(IClipSource source, long step, int batchSize)
    {
        var items = Enumerable.Range(0, batchSize).Select(slot => source.Draw(step, slot)).ToList();
        return new VideoBatch(
            ClipTensor.ToBatch(items.Select(i => i.Clip).ToList()),
            tensor(items.Select(i => (long)i.ClassId).ToArray()),
            items.Select(i => i.Caption).ToList());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Video.Dispose();
        ClassIds.Dispose();
    }
}
