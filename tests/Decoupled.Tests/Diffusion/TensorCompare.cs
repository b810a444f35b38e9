using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Diffusion;

/// <summary>Whole-tensor comparisons for assertions.</summary>
internal static class TensorCompare
{
    /// <summary>Largest absolute difference of two tensors, in float64.</summary>
    public static double MaxError(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
    }

    /// <summary>Same shape, same dtype and bit-for-bit equal values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        return a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }
}
