using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>Folding frames into the batch and back, for per-frame 2D layers.</summary>
public static class VideoFrames
{
    /// <summary><c>[B, C, T, H, W]</c> to <c>[B*T, C, H, W]</c> (frame-major within each clip).</summary>
    public static Tensor Fold(Tensor video) =>
        video.permute(0, 2, 1, 3, 4).reshape(video.shape[0] * video.shape[2], video.shape[1], video.shape[3], video.shape[4]);

    /// <summary><c>[B*T, C, H, W]</c> to <c>[B, C, T, H, W]</c>.</summary>
    public static Tensor Unfold(Tensor frames, long batch) =>
        frames.reshape(batch, frames.shape[0] / batch, frames.shape[1], frames.shape[2], frames.shape[3]).permute(0, 2, 1, 3, 4);
}
