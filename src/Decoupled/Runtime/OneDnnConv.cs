using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Runtime;

/// <summary>
/// 2D convolution that keeps oneDNN on the channel widths it gets right on this CPU. Measured
/// against float64 (libtorch 2.10, oneDNN 3.7.1, AVX-512 EPYC): forward is wrong for input widths
/// above 16 that are not multiples of 16, and backward-data is wrong or NaN whenever the output
/// width is not a multiple of 16. While oneDNN is on, a convolution with such widths runs on
/// weights (and inputs) zero-padded to the next multiple of 16 and the extra outputs are cut off:
/// the same result, a few more multiply-adds. With oneDNN off this is a plain <c>conv2d</c>.
/// </summary>
public static class OneDnnConv
{
    /// <summary>The channel block oneDNN's AVX-512 kernels work in.</summary>
    public const long Block = 16;

    /// <summary><c>conv2d(x, weight, bias)</c> for <paramref name="x"/> <c>[N, I, H, W]</c> and <paramref name="weight"/> <c>[O, I, k, k]</c>, square stride and padding.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding)
    {
        long outChannels = weight.shape[0], inChannels = weight.shape[1];
        if (!TorchRuntime.OneDnnActive || (outChannels % Block == 0 && inChannels % Block == 0))
            return nn.functional.conv2d(x, weight, bias, strides: [stride, stride], padding: [padding, padding]);

        using var scope = NewDisposeScope();
        long outPadded = RoundUp(outChannels), inPadded = RoundUp(inChannels);
        // F.pad pads the last dimensions first: (kw, kw, kh, kh, in, in, out, out).
        var paddedWeight = nn.functional.pad(weight, [0, 0, 0, 0, 0, inPadded - inChannels, 0, outPadded - outChannels]);
        var paddedBias = bias is null ? null : nn.functional.pad(bias, [0, outPadded - outChannels]);
        var paddedX = inPadded == inChannels ? x : nn.functional.pad(x, [0, 0, 0, 0, 0, inPadded - inChannels]);
        var y = nn.functional.conv2d(paddedX, paddedWeight, paddedBias, strides: [stride, stride], padding: [padding, padding]);
        return (outPadded == outChannels ? y : y.narrow(1, 0, outChannels)).MoveToOuterDisposeScope();
    }

    private static long RoundUp(long channels) => (channels + Block - 1) / Block * Block;
}
