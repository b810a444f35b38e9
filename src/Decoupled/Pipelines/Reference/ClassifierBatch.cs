using Decoupled.Pipelines.Data;
using Decoupled.Tensors;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Reference;

/// <summary>Clips <c>[B, 3, T, H, W]</c> in [-1, 1] and their class ids <c>[B]</c> (int64), for the reference classifier.</summary>
/// <param name="Clips">The clips.</param>
/// <param name="Labels">Their classes.</param>
public sealed record ClassifierBatch(Tensor Clips, Tensor Labels) : IDisposable
{
    /// <summary>The clips at slots 0..<paramref name="size"/>-1 of <paramref name="step"/>.</summary>
    public static ClassifierBatch Draw(IClipSource source, long step, int size)
    {
        ArgumentNullException.ThrowIfNull(source);
        var items = Enumerable.Range(0, size).Select(slot => source.Draw(step, slot)).ToList();
        return Of(items);
    }

    /// <summary>A batch of labelled clips of one size.</summary>
    public static ClassifierBatch Of(IReadOnlyList<LabeledClip> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var clips = ClipTensor.ToBatch(items.Select(i => i.Clip).ToList());
        return new ClassifierBatch(clips, tensor(items.Select(i => (long)i.ClassId).ToArray()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Clips.Dispose();
        Labels.Dispose();
    }
}
