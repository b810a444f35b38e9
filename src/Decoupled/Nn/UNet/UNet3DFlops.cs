namespace Decoupled.Nn.UNet;

/// <summary>
/// Analytic cost of one U-Net forward pass, in multiply-accumulates (MACs) of its convolutions,
/// linear layers and attention matrix products. Norms, activations, softmax, additions and
/// biases are left out (a few percent at most). FLOPs = 2 x MACs; a training step (forward plus
/// backward, whose gradients w.r.t. inputs and weights each cost about one forward) is about 3x
/// the forward FLOPs.
/// </summary>
/// <param name="ConvMacs">MACs of all convolutions (U-Net and first-frame encoder).</param>
/// <param name="LinearMacs">MACs of all linear layers (embeddings, FiLM, attention projections).</param>
/// <param name="AttentionMacs">MACs of q k^T and (softmax) v in every attention layer.</param>
public sealed record FlopCount(long ConvMacs, long LinearMacs, long AttentionMacs)
{
    /// <summary>All multiply-accumulates of a forward pass.</summary>
    public long TotalMacs => ConvMacs + LinearMacs + AttentionMacs;

    /// <summary>Forward GFLOPs: 2 x <see cref="TotalMacs"/> / 1e9.</summary>
    public double ForwardGflops => 2.0 * TotalMacs / 1e9;

    /// <summary>Approximate GFLOPs of one training step (forward + backward): 3 x <see cref="ForwardGflops"/>.</summary>
    public double TrainingStepGflops => 3.0 * ForwardGflops;
}

/// <summary>Walks a <see cref="UNet3DConfig"/> in the order <see cref="UNet3D"/> is built and sums <see cref="FlopCount"/>.</summary>
public static class UNet3DFlops
{
    private const long SpatialKernel = 9;   // 1x3x3

    /// <summary>The cost of a forward pass on <paramref name="batch"/> clips of <paramref name="frames"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static FlopCount Count(UNet3DConfig config, long batch, long frames, long height, long width)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (batch < 1) throw new ArgumentException($"batch must be at least 1, got {batch}.", nameof(batch));
        if (config.InputSizeProblem(frames, height, width) is string problem) throw new ArgumentException(problem + ".");
        var tally = new Tally(config, batch, frames);
        long patchArea = (long)config.PatchSize * config.PatchSize;
        long gridHeight = height / config.PatchSize, gridWidth = width / config.PatchSize;

        tally.ConditionEmbedding();
        if (config.FirstFrameChannels > 0) tally.FirstFrameEncoder(gridHeight * gridWidth);
        tally.Conv(gridHeight * gridWidth, config.InChannels * patchArea + config.FirstFrameChannels, config.BaseChannels, SpatialKernel);

        long channels = config.BaseChannels, h = gridHeight, w = gridWidth;
        for (int level = 0; level < config.Levels; level++)
        {
            for (int i = 0; i < config.ResBlocksPerLevel; i++, channels = config.Width(level))
                tally.Block(h * w, channels, level);
            if (level < config.Levels - 1)
            {
                h /= 2;
                w /= 2;
                tally.Conv(h * w, channels, channels, SpatialKernel);
            }
        }

        tally.Resnet(h * w, channels, channels);
        tally.SpatialAttention(h * w, channels);
        if (config.TemporalAttention) tally.TemporalAttention(h * w, channels);
        tally.Resnet(h * w, channels, channels);

        for (int level = config.Levels - 1; level >= 0; level--)
        {
            for (int i = 0; i < config.ResBlocksPerLevel; i++, channels = config.Width(level))
                tally.Block(h * w, channels + config.Width(level), level);
            if (level > 0)
            {
                h *= 2;
                w *= 2;
                tally.Conv(h * w, channels, channels, SpatialKernel);
            }
        }

        tally.Conv(gridHeight * gridWidth, config.BaseChannels, config.OutChannels * patchArea, SpatialKernel);
        return new FlopCount(tally.ConvMacs, tally.LinearMacs, tally.AttentionMacs);
    }

    /// <summary>Running sums; every method takes the pixel count of one frame at the layer's size.</summary>
    private sealed class Tally(UNet3DConfig config, long batch, long frames)
    {
        private readonly long heads = config.AttentionHeads, headDim = config.AttentionHeadDim;

        public long ConvMacs { get; private set; }

        public long LinearMacs { get; private set; }

        public long AttentionMacs { get; private set; }

        /// <summary>A conv producing <paramref name="outChannels"/> at every pixel of every frame.</summary>
        public void Conv(long pixels, long inChannels, long outChannels, long kernel) =>
            ConvMacs += batch * frames * pixels * inChannels * outChannels * kernel;

        public void Linear(long rows, long inFeatures, long outFeatures) => LinearMacs += rows * inFeatures * outFeatures;

        public void ConditionEmbedding()
        {
            long e = config.EmbeddingDim;
            Linear(batch, config.BaseChannels, e);
            Linear(batch, e, e);
            int parts = 1;
            if (config.NumClasses is not null) parts++;
            if (config.TextDim is int text)
            {
                Linear(batch, text, e);
                parts++;
            }
            if (parts > 1) Linear(batch, parts * e, e);
        }

        /// <summary>The bottleneck of <see cref="Conditioning.FirstFrameEncoder"/>, run once per clip (not per frame).</summary>
        public void FirstFrameEncoder(long pixels)
        {
            long factor = (long)config.FirstFrameFactor * config.PatchSize;
            long input = 3L * factor * factor;
            long output = config.FirstFrameChannels, bottleneck = Math.Max(1, output / 4);
            long positions = batch * pixels;
            ConvMacs += positions * (input * bottleneck + bottleneck * bottleneck * 9 + bottleneck * output + input * output);
        }

        public void Block(long pixels, long inChannels, int level)
        {
            long width = config.Width(level);
            Resnet(pixels, inChannels, width);
            if (config.AttentionLevels.Contains(level)) SpatialAttention(pixels, width);
            if (config.TemporalAttention) TemporalAttention(pixels, width);
        }

        public void Resnet(long pixels, long inChannels, long outChannels)
        {
            Conv(pixels, inChannels, outChannels, SpatialKernel);
            Linear(batch, config.EmbeddingDim, 2 * outChannels);
            Conv(pixels, outChannels, outChannels, SpatialKernel);
            if (inChannels != outChannels) Conv(pixels, inChannels, outChannels, 1);
        }

        public void SpatialAttention(long pixels, long channels) => Attention(batch * frames, pixels, channels);

        public void TemporalAttention(long pixels, long channels) => Attention(batch * pixels, frames, channels);

        /// <summary><paramref name="sequences"/> sequences of <paramref name="length"/> tokens.</summary>
        private void Attention(long sequences, long length, long channels)
        {
            long tokens = sequences * length, inner = heads * headDim;
            Linear(tokens, channels, 3 * inner);
            AttentionMacs += 2 * sequences * heads * length * length * headDim;
            Linear(tokens, inner, channels);
        }
    }
}
