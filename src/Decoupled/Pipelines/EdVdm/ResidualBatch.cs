using Decoupled.Decompositions;
using Decoupled.Pipelines.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>Residual frames <c>[N, 3, H, W]</c> in [-1, 1] from the block-motion codec, for the autoencoder.</summary>
/// <param name="Residuals">The frames.</param>
public sealed record ResidualBatch(Tensor Residuals) : IDisposable
{
    /// <summary>The residuals of the selected P-frames of the clips of <paramref name="step"/>.</summary>
    public static ResidualBatch Draw(IClipSource source, long step, int clips, BlockMotionOptions codec, ResidualSelection selection)
    {
        var codecInstance = new BlockMotion(codec);
        var frames = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (int slot = 0; slot < clips; slot++)
        {
            var parts = codecInstance.Decompose(source.Draw(step, slot).Clip);
            var all = CodecTensors.Residuals(parts.Residuals);
            var indices = ResidualFrames.Indices(parts.Residuals.Frames, selection);
            frames.Add(all.index_select(0, tensor(indices.Select(i => (long)i).ToArray())));
        }
        return new ResidualBatch(cat(frames, 0).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose() => Residuals.Dispose();
}
