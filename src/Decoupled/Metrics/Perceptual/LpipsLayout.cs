namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// The trunks as the lpips package cuts torchvision's <c>features</c> into five slices; every slice
/// ends on a ReLU whose output is one of the compared feature maps. Kernel sizes, strides, paddings
/// and pools are fixed by the architecture; only the channel widths vary (they come from the weights).
/// </summary>
internal static class LpipsLayout
{
    private static readonly LpipsStep[][] Alex =
    [
        [LpipsStep.Conv(0, 11, 4, 2)],
        [LpipsStep.Pool(3, 2), LpipsStep.Conv(3, 5, 1, 2)],
        [LpipsStep.Pool(3, 2), LpipsStep.Conv(6, 3, 1, 1)],
        [LpipsStep.Conv(8, 3, 1, 1)],
        [LpipsStep.Conv(10, 3, 1, 1)],
    ];

    private static readonly LpipsStep[][] Vgg16 =
    [
        [LpipsStep.Conv(0, 3, 1, 1), LpipsStep.Conv(2, 3, 1, 1)],
        [LpipsStep.Pool(2, 2), LpipsStep.Conv(5, 3, 1, 1), LpipsStep.Conv(7, 3, 1, 1)],
        [LpipsStep.Pool(2, 2), LpipsStep.Conv(10, 3, 1, 1), LpipsStep.Conv(12, 3, 1, 1), LpipsStep.Conv(14, 3, 1, 1)],
        [LpipsStep.Pool(2, 2), LpipsStep.Conv(17, 3, 1, 1), LpipsStep.Conv(19, 3, 1, 1), LpipsStep.Conv(21, 3, 1, 1)],
        [LpipsStep.Pool(2, 2), LpipsStep.Conv(24, 3, 1, 1), LpipsStep.Conv(26, 3, 1, 1), LpipsStep.Conv(28, 3, 1, 1)],
    ];

    /// <summary>Number of compared feature maps (slices) of both trunks.</summary>
    public const int SliceCount = 5;

    /// <summary>Input channels (RGB).</summary>
    public const long InputChannels = 3;

    /// <summary>The slices of <paramref name="backbone"/>, in order.</summary>
    public static IReadOnlyList<IReadOnlyList<LpipsStep>> Slices(LpipsBackbone backbone) => backbone switch
    {
        LpipsBackbone.Alex => Alex,
        LpipsBackbone.Vgg16 => Vgg16,
        _ => throw new ArgumentOutOfRangeException(nameof(backbone), backbone, null),
    };

    /// <summary>The published channel widths of the five slices.</summary>
    public static long[] DefaultWidths(LpipsBackbone backbone) => backbone switch
    {
        LpipsBackbone.Alex => [64, 192, 384, 256, 256],
        LpipsBackbone.Vgg16 => [64, 128, 256, 512, 512],
        _ => throw new ArgumentOutOfRangeException(nameof(backbone), backbone, null),
    };

    /// <summary>State-dict name of the weight of the convolution at <paramref name="step"/> in slice <paramref name="slice"/> (0-based).</summary>
    public static string ConvName(int slice, LpipsStep step, string tensor) => $"net.slice{slice + 1}.{step.Index}.{tensor}";

    /// <summary>State-dict name of linear head <paramref name="slice"/>'s 1x1 weight (<c>model.0</c> is a parameterless dropout).</summary>
    public static string HeadName(int slice) => $"lin{slice}.model.1.weight";

    /// <summary>
    /// The same head as <c>lpips.LPIPS</c>'s <c>nn.ModuleList</c> names it; a full <c>state_dict()</c>
    /// holds both names for one tensor.
    /// </summary>
    public static string HeadAlias(int slice) => $"lins.{slice}.model.1.weight";

    /// <summary>The smallest square input side for which every feature map of <paramref name="backbone"/> is at least 1x1 (AlexNet 31, VGG16 16).</summary>
    public static long MinimumSize(LpipsBackbone backbone)
    {
        for (long size = 1; ; size++)
        {
            long side = size;
            foreach (var step in Slices(backbone).SelectMany(s => s))
                side = step.OutputSize(side);
            if (side >= 1) return size;
        }
    }
}
