using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tensors;

/// <summary>
/// The one place where plain clips meet TorchSharp: bytes <c>[T, H, W, C]</c> in 0..255 to
/// float tensors <c>[C, T, H, W]</c> in [-1, 1] and back (the layout models use, batched as
/// <c>[B, C, T, H, W]</c>).
/// </summary>
public static class ClipTensor
{
    /// <summary>A clip as a float32 tensor <c>[C, T, H, W]</c> with values <c>x / 127.5 - 1</c>.</summary>
    public static Tensor ToTensor(VideoClip clip)
    {
        using var scope = torch.NewDisposeScope();
        var bytes = torch.tensor(clip.Pixels, [clip.Frames, clip.Height, clip.Width, VideoClip.Channels], ScalarType.Byte);
        var result = ToUnitRange_(bytes.permute(3, 0, 1, 2).to_type(ScalarType.Float32)).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>x / 127.5 - 1</c> in place on a float tensor of byte values, the one map from bytes to [-1, 1].
    /// The scalars are explicit and disposed after the calls: an implicit double-to-Scalar
    /// conversion leaves the native scalar to the finalizer, which can free it while libtorch still
    /// reads it ("Unknown scalar type", seen once in a 64x64 training run).
    /// </summary>
    public static Tensor ToUnitRange_(Tensor byteValues)
    {
        ArgumentNullException.ThrowIfNull(byteValues);
        using var scale = 127.5.ToScalar();
        using var one = 1.0.ToScalar();
        return byteValues.div_(scale).sub_(one);
    }

    /// <summary>Several clips of one size as a batch <c>[B, C, T, H, W]</c>.</summary>
    public static Tensor ToBatch(IReadOnlyList<VideoClip> clips)
    {
        if (clips.Count == 0) throw new ArgumentException("no clips to batch");
        using var scope = torch.NewDisposeScope();
        var first = clips[0];
        foreach (var c in clips)
            if (c.Frames != first.Frames || c.Height != first.Height || c.Width != first.Width)
                throw new ArgumentException($"clips in a batch must share a size: {c} vs {first}");
        return torch.stack(clips.Select(ToTensor).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A tensor <c>[C, T, H, W]</c> (C = 3) in [-1, 1] back to a clip: clamped, scaled by 127.5 and
    /// rounded to the nearest byte, so <c>FromTensor(ToTensor(c))</c> returns <c>c</c> exactly.
    /// </summary>
    public static VideoClip FromTensor(Tensor video, double framesPerSecond = 25)
    {
        if (video.dim() != 4 || video.shape[0] != VideoClip.Channels)
            throw new ArgumentException($"expected a [3, T, H, W] tensor, got [{string.Join(", ", video.shape)}]");
        using var scope = torch.NewDisposeScope();
        var bytes = video.detach().to(torch.CPU).to_type(ScalarType.Float32)
            .clamp(-1, 1).add(1).mul(127.5).round().to_type(ScalarType.Byte)
            .permute(1, 2, 3, 0).contiguous();
        int t = (int)video.shape[1], h = (int)video.shape[2], w = (int)video.shape[3];
        return new VideoClip(t, h, w, bytes.data<byte>().ToArray(), framesPerSecond);
    }

    /// <summary>Each item of a batch <c>[B, C, T, H, W]</c> as a clip.</summary>
    public static VideoClip[] FromBatch(Tensor batch, double framesPerSecond = 25)
    {
        if (batch.dim() != 5) throw new ArgumentException($"expected a [B, 3, T, H, W] tensor, got [{string.Join(", ", batch.shape)}]");
        var clips = new VideoClip[batch.shape[0]];
        for (int i = 0; i < clips.Length; i++)
        {
            using var item = batch[i];
            clips[i] = FromTensor(item, framesPerSecond);
        }
        return clips;
    }
}
