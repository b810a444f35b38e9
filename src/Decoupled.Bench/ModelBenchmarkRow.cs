namespace Decoupled.Bench;

/// <summary>
/// One model's row in every model benchmark (<c>bench train</c>, <c>bench sample</c>): the JSON
/// holds a <c>models</c> list of these, snake_case.
/// </summary>
public sealed record ModelBenchmarkRow
{
    /// <summary>Model name (vdm, d-vdm, ed-vdm, videofusion, ...).</summary>
    public required string Model { get; init; }

    /// <summary>GFLOPs of one training step (2 x multiply-accumulates; forward x 3 for forward + backward), counted analytically.</summary>
    public double? Gflops { get; init; }

    /// <summary>Peak resident memory while the model ran, MiB.</summary>
    public double? PeakMemoryMb { get; init; }

    /// <summary>Wall-clock seconds per training step (mean over the measured steps).</summary>
    public double? SecondsPerStep { get; init; }

    /// <summary>
    /// Wall-clock seconds per training step when the batch's diffusion target was encoded ahead of
    /// time (the target cache of <c>train --cache-clips</c>): the network's own cost, without the
    /// codec and residual encoder that an on-the-fly ED-VDM step also runs.
    /// </summary>
    public double? SecondsPerCachedStep { get; init; }

    /// <summary>Wall-clock seconds to sample one video.</summary>
    public double? SecondsPerVideo { get; init; }

    /// <summary>Seconds per denoising step (sampling benchmarks).</summary>
    public double? SecondsPerDenoisingStep { get; init; }

    /// <summary>GFLOPs of one denoising step (one forward pass of the denoiser(s), sampling benchmarks), counted analytically.</summary>
    public double? GflopsPerDenoisingStep { get; init; }

    /// <summary>Peak resident memory above the resident size when the model's measurement began, MiB (what the model itself added).</summary>
    public double? MemoryAboveBaselineMb { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long? Parameters { get; init; }

    /// <summary>Where oneDNN ran while this row was measured ("full", "forward" or "off"; see <c>TorchRuntime</c>).</summary>
    public string? OneDnn { get; init; }

    /// <summary>Ratios to the reference model (VDM), by column name.</summary>
    public IReadOnlyDictionary<string, double>? RatioToReference { get; init; }
}
