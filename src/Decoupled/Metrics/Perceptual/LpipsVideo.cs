using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>LPIPS between the frames of two clips of one size (frame t against frame t), in batches of frames.</summary>
public static class LpipsVideo
{
    /// <summary>
    /// LPIPS of every frame pair of <paramref name="reference"/> and <paramref name="distorted"/> and
    /// their mean. Frames go through <see cref="ClipTensor"/> (bytes to [-1, 1]) and then through the
    /// network <paramref name="batchSize"/> at a time, which bounds memory for long or large clips.
    /// </summary>
    public static LpipsClipScores Score(LpipsNetwork network, VideoClip reference, VideoClip distorted, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch needs at least one frame");
        Frame.FrameMetric.CheckSameSize(reference, distorted);
        if (reference.Frames == 0) throw new ArgumentException("the clips have no frames");

        var values = new double[reference.Frames];
        using var noGrad = torch.no_grad();
        for (int start = 0; start < values.Length; start += batchSize)
        {
            int count = Math.Min(batchSize, values.Length - start);
            using var scope = NewDisposeScope();
            var distances = network.Distances(Frames(reference, start, count), Frames(distorted, start, count));
            distances.CopyTo(values, start);
        }
        return new LpipsClipScores(values, values.Average());
    }

    // [C, T, H, W] -> [T, C, H, W]: the frames as a batch of images.
    private static Tensor Frames(VideoClip clip, int start, int count) =>
        ClipTensor.ToTensor(clip.Slice(start, count)).permute(1, 0, 2, 3);
}
