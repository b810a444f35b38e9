using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// Space-to-depth for videos: folds each p x p patch of every frame into channels and back, so a
/// network can work at 1/p of a clip's size without dropping a pixel. The channel order is
/// <c>torch.nn.functional.pixel_unshuffle</c>'s applied frame by frame: channel <c>c p^2 + i p + j</c>
/// holds pixel (i, j) of each patch of input channel c.
/// </summary>
public static class VideoPatches
{
    /// <summary><c>[B, C, T, H, W]</c> to <c>[B, C p^2, T, H/p, W/p]</c> (H and W divisible by <paramref name="patch"/>).</summary>
    public static Tensor Fold(Tensor video, long patch)
    {
        Check(video, patch);
        if (patch == 1) return video.alias();
        if (video.shape[3] % patch != 0 || video.shape[4] % patch != 0)
            throw new ArgumentException($"the frames ({video.shape[3]}x{video.shape[4]}) must be divisible by the patch size {patch}.", nameof(video));
        long b = video.shape[0], c = video.shape[1], t = video.shape[2], h = video.shape[3] / patch, w = video.shape[4] / patch;
        using var scope = NewDisposeScope();
        return video.reshape(b, c, t, h, patch, w, patch)
            .permute(0, 1, 4, 6, 2, 3, 5)
            .reshape(b, c * patch * patch, t, h, w)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The inverse of <see cref="Fold"/>: <c>[B, C p^2, T, h, w]</c> to <c>[B, C, T, h p, w p]</c>.</summary>
    public static Tensor Unfold(Tensor folded, long patch)
    {
        Check(folded, patch);
        if (patch == 1) return folded.alias();
        long p2 = patch * patch;
        if (folded.shape[1] % p2 != 0)
            throw new ArgumentException($"{folded.shape[1]} channels cannot be unfolded into {patch}x{patch} patches.", nameof(folded));
        long b = folded.shape[0], c = folded.shape[1] / p2, t = folded.shape[2], h = folded.shape[3], w = folded.shape[4];
        using var scope = NewDisposeScope();
        return folded.reshape(b, c, patch, patch, t, h, w)
            .permute(0, 1, 4, 5, 2, 6, 3)
            .reshape(b, c, t, h * patch, w * patch)
            .MoveToOuterDisposeScope();
    }

    private static void Check(Tensor video, long patch)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (patch < 1) throw new ArgumentOutOfRangeException(nameof(patch), patch, "the patch size must be at least 1");
        if (video.dim() != 5) throw new ArgumentException($"expected a video [B, C, T, H, W], got [{string.Join(", ", video.shape)}].", nameof(video));
    }
}
