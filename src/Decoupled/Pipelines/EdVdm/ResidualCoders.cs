using Decoupled.Decompositions;
using Decoupled.Nn.Autoencoders;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>
/// The lossy residual coders ED-VDM puts inside the codec's loop
/// (<see cref="BlockMotion.Decompose(IReadOnlyList{Video.VideoClip}, ResidualCoder?)"/>): the
/// residual autoencoder, and the block DCT of the paper's Table 5.
/// </summary>
public static class ResidualCoders
{
    /// <summary>
    /// Codes each P-frame's residuals (all clips in one batch) as <c>D(mean of E(residual))</c>.
    /// <paramref name="latents"/>, when given, receives each P-frame's latent means <c>[N, C, h, w]</c>
    /// (inside the caller's dispose scope; move them out to keep them).
    /// </summary>
    public static ResidualCoder Autoencoder(ResidualVae vae, int height, int width, Action<int, Tensor>? latents = null)
    {
        ArgumentNullException.ThrowIfNull(vae);
        return (pFrame, residuals) =>
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            using var posterior = vae.Encode(CodecTensors.ResidualFrames(residuals, height, width));
            var mean = posterior.Mean;
            CodecTensors.WriteResidualFrames(vae.Decode(mean), residuals);
            // The posterior owns its mean: hand out a copy that outlives it.
            if (latents is not null)
                latents(pFrame, mean.clone().MoveToOuterDisposeScope());
        };
    }

    /// <summary>Codes each residual block to its <paramref name="coefficients"/> lowest-frequency DCT coefficients.</summary>
    public static ResidualCoder Dct(int blockSize, int coefficients, int height, int width)
    {
        var dct = new BlockDct(blockSize);
        return (_, residuals) =>
        {
            foreach (var frame in residuals)
            {
                var coded = dct.Compress(new SignedVideo(1, height, width, 3, frame.ToArray()), coefficients);
                coded.Values.CopyTo(frame.Span);
            }
        };
    }
}
