using Decoupled.Runtime;
using Decoupled.Video;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>Clips as the byte tensors the metric networks take: no scaling, no resizing (the networks do both).</summary>
public static class DetectorInput
{
    /// <summary>Clips of one size as <c>uint8</c> <c>[B, 3, T, H, W]</c> (caller disposes).</summary>
    public static Tensor Clips(IReadOnlyList<VideoClip> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0) throw new ArgumentException("no clips");
        var first = clips[0];
        foreach (var c in clips)
            if (c.Frames != first.Frames || c.Height != first.Height || c.Width != first.Width)
                throw new ArgumentException($"clips in a batch must share a size: {c} vs {first}");
        TorchRuntime.Initialize();
        var bytes = new byte[(long)clips.Count * first.Pixels.Length];
        for (int i = 0; i < clips.Count; i++) clips[i].Pixels.CopyTo(bytes, (long)i * first.Pixels.Length);
        using var scope = NewDisposeScope();
        var stacked = tensor(bytes, [clips.Count, first.Frames, first.Height, first.Width, VideoClip.Channels], ScalarType.Byte);
        return stacked.permute(0, 4, 1, 2, 3).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Every frame of every clip, clip by clip, as <c>uint8</c> <c>[sum T, 3, H, W]</c> (caller disposes).</summary>
    public static Tensor Frames(IReadOnlyList<VideoClip> clips)
    {
        using var scope = NewDisposeScope();
        var batch = Clips(clips);
        // [B, 3, T, H, W] -> [B, T, 3, H, W] -> [B*T, 3, H, W]
        return batch.permute(0, 2, 1, 3, 4).reshape(-1, VideoClip.Channels, batch.shape[3], batch.shape[4]).contiguous().MoveToOuterDisposeScope();
    }
}
