namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// One step of a trunk slice as torchvision numbers it: a convolution (always followed by a ReLU)
/// stored under its <c>features</c> index, or a max pool (no parameters, so no name is needed).
/// </summary>
internal sealed record LpipsStep(bool IsPool, int Index, int Kernel, int Stride, int Padding)
{
    /// <summary>A k x k convolution at torchvision index <paramref name="index"/>, followed by a ReLU.</summary>
    public static LpipsStep Conv(int index, int kernel, int stride, int padding) => new(false, index, kernel, stride, padding);

    /// <summary>A k x k max pool without padding (floor mode, as torchvision's trunks use).</summary>
    public static LpipsStep Pool(int kernel, int stride) => new(true, -1, kernel, stride, 0);

    /// <summary>The side length this step turns a side of <paramref name="size"/> into (0 or less: the input is too small).</summary>
    public long OutputSize(long size) =>
        size + 2 * Padding < Kernel ? 0 : (size + 2 * Padding - Kernel) / Stride + 1;
}
