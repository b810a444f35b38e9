using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Runtime;

/// <summary>
/// Decides, for one network and the shapes it is about to run, whether oneDNN may be used: it runs
/// the same computation with the reference kernels and with oneDNN and compares. Wrong oneDNN
/// kernels on this CPU are off by 10-100% or NaN, while two correct float32 paths agree to
/// about 1e-6, so the thresholds sit far from both.
/// </summary>
public static class OneDnnSelfCheck
{
    /// <summary>Largest relative difference of forward results accepted as "the same".</summary>
    public const double ForwardTolerance = 1e-3;

    /// <summary>Largest relative difference of any parameter's gradient accepted as "the same".</summary>
    public const double GradientTolerance = 1e-2;

    /// <summary>
    /// Compares <paramref name="loss"/> and the gradients of <paramref name="network"/>'s parameters
    /// with oneDNN off and on. The parameters are first nudged by small noise (and restored
    /// afterwards, bit for bit) because a fresh diffusion U-Net ends in a zero-initialised layer:
    /// it outputs 0 and back-propagates nothing, which would make any kernel look right. The
    /// network runs in eval mode (no dropout); gradients are left at zero; the global RNG is untouched.
    /// </summary>
    public static OneDnnCheck ForTraining(nn.Module network, Func<Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        TorchRuntime.Initialize();
        var parameters = network.parameters().Where(p => p.requires_grad).ToList();
        bool wasTraining = network.training;
        var saved = parameters.Select(p => p.detach().clone()).ToList();
        network.eval();
        try
        {
            Nudge(parameters);
            var (referenceLoss, referenceGradients) = LossAndGradients(parameters, loss, OneDnnMode.Off);
            var (oneDnnLoss, oneDnnGradients) = LossAndGradients(parameters, loss, OneDnnMode.Full);
            double forward = RelativeError(oneDnnLoss, referenceLoss);
            double gradient = 0;
            for (int i = 0; i < parameters.Count; i++)
                gradient = Math.Max(gradient, RelativeError(oneDnnGradients[i], referenceGradients[i]));
            foreach (var t in referenceGradients.Concat(oneDnnGradients).Append(referenceLoss).Append(oneDnnLoss)) t.Dispose();
            return new OneDnnCheck(Verdict(forward, gradient), forward, gradient);
        }
        finally
        {
            using (no_grad())
                for (int i = 0; i < parameters.Count; i++)
                {
                    parameters[i].copy_(saved[i]);
                    parameters[i].grad?.zero_();
                    saved[i].Dispose();
                }
            if (wasTraining) network.train();
        }
    }

    /// <summary>
    /// Under the <see cref="OneDnnPolicy.Auto"/> policy, runs <see cref="ForTraining"/> and switches oneDNN to its verdict until
    /// the returned scope is disposed; under a forced policy changes nothing. <paramref name="check"/> is null when no check ran.
    /// </summary>
    public static IDisposable UseVerifiedForTraining(nn.Module network, Func<Tensor> loss, out OneDnnCheck? check)
    {
        TorchRuntime.Initialize();
        check = TorchRuntime.Policy == OneDnnPolicy.Auto ? ForTraining(network, loss) : null;
        return TorchRuntime.UseOneDnn(check?.Mode ?? TorchRuntime.OneDnn);
    }

    /// <summary>As <see cref="UseVerifiedForTraining"/>, for sampling: <see cref="ForSampling"/> on one call of the denoiser.</summary>
    public static IDisposable UseVerifiedForSampling(Func<Tensor> forward, out OneDnnCheck? check)
    {
        TorchRuntime.Initialize();
        check = TorchRuntime.Policy == OneDnnPolicy.Auto ? ForSampling(forward) : null;
        return TorchRuntime.UseOneDnn(check?.Mode ?? TorchRuntime.OneDnn);
    }

    /// <summary>Compares one forward computation (e.g. a denoiser call) with oneDNN off and on: <see cref="OneDnnMode.Forward"/> or <see cref="OneDnnMode.Off"/>.</summary>
    public static OneDnnCheck ForSampling(Func<Tensor> forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        TorchRuntime.Initialize();
        using var noGrad = no_grad();
        Tensor reference, oneDnn;
        using (TorchRuntime.UseOneDnn(OneDnnMode.Off)) reference = forward();
        using (TorchRuntime.UseOneDnn(OneDnnMode.Forward)) oneDnn = forward();
        double error = RelativeError(oneDnn, reference);
        reference.Dispose();
        oneDnn.Dispose();
        return new OneDnnCheck(error <= ForwardTolerance ? OneDnnMode.Forward : OneDnnMode.Off, error, null);
    }

    /// <summary>The mode two measured errors allow: full when both pass, forward when only the forward passes, otherwise off.</summary>
    public static OneDnnMode Verdict(double forwardError, double? gradientError) =>
        !(forwardError <= ForwardTolerance) ? OneDnnMode.Off
        : gradientError is null ? OneDnnMode.Forward
        : gradientError.Value <= GradientTolerance ? OneDnnMode.Full : OneDnnMode.Forward;

    /// <summary>max |a - b| / max |b| (0 when both are 0; infinity when either has a NaN or an infinity).</summary>
    public static double RelativeError(Tensor actual, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().to(ScalarType.Float64);
        var b = reference.detach().to(ScalarType.Float64);
        if (!a.isfinite().all().item<bool>() || !b.isfinite().all().item<bool>()) return double.PositiveInfinity;
        double difference = (a - b).abs().max().item<double>();
        double scale = b.abs().max().item<double>();
        return difference == 0 ? 0 : difference / Math.Max(scale, 1e-30);
    }

    private static (Tensor Loss, List<Tensor> Gradients) LossAndGradients(List<Parameter> parameters, Func<Tensor> loss, OneDnnMode mode)
    {
        foreach (var p in parameters) p.grad?.zero_();
        using var use = TorchRuntime.UseOneDnn(mode);
        using var scope = NewDisposeScope();
        var value = loss();
        TorchRuntime.Backward(value);
        var gradients = parameters.Select(p => (p.grad is null ? zeros_like(p) : p.grad.clone()).MoveToOuterDisposeScope()).ToList();
        return (value.detach().clone().MoveToOuterDisposeScope(), gradients);
    }

    private static void Nudge(List<Parameter> parameters)
    {
        using var generator = new Generator(20_251_123);
        using var noGrad = no_grad();
        foreach (var p in parameters)
        {
            using var noise = randn(p.shape, dtype: p.dtype, generator: generator);
            p.add_(noise, alpha: 0.05);
        }
    }
}

/// <summary>The outcome of a <see cref="OneDnnSelfCheck"/>.</summary>
/// <param name="Mode">What the check allows.</param>
/// <param name="ForwardError">Relative difference of the forward result (loss or output).</param>
/// <param name="GradientError">Largest relative difference of a parameter gradient; null for a forward-only check.</param>
public sealed record OneDnnCheck(OneDnnMode Mode, double ForwardError, double? GradientError)
{
    /// <summary>One line for logs: the mode and the measured differences.</summary>
    public override string ToString() =>
        $"oneDNN {Mode.ToString().ToLowerInvariant()} (self-check: forward differs by {ForwardError:G2}"
        + (GradientError is { } g ? $", gradients by {g:G2})" : ")");
}
