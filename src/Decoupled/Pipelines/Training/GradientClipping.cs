using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Training;

/// <summary>Clipping by the global L2 norm of all gradients, as <c>torch.nn.utils.clip_grad_norm_</c> does.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Returns the global norm of the gradients before clipping and, when <paramref name="maxNorm"/>
    /// is given and exceeded, scales every gradient by <c>maxNorm / (norm + 1e-6)</c> in place.
    /// Parameters without a gradient are skipped. A non-finite norm is returned unclipped, so the
    /// caller can see it and stop.
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Parameter> parameters, double? maxNorm)
    {
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0)
            return 0;
        // Summing squares in float64 keeps the norm of millions of small gradients accurate.
        var squares = grads.Select(g => g.to(ScalarType.Float64).square().sum()).ToList();
        double norm = Math.Sqrt(torch.stack(squares).sum().item<double>());
        if (maxNorm is { } max && double.IsFinite(norm) && norm > max)
        {
            double scale = max / (norm + 1e-6);
            using var noGrad = torch.no_grad();
            foreach (var g in grads)
                g.mul_(scale);
        }
        return norm;
    }
}
