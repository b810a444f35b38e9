namespace Decoupled.Bench;

/// <summary>Settings of <see cref="DecomposeBenchmark"/>; the defaults are the reported configuration.</summary>
public sealed record DecomposeBenchmarkOptions
{
    /// <summary>Frame sizes (height, width) to time; default 576x768 (PAL) and 128x128.</summary>
    public IReadOnlyList<(int Height, int Width)> Sizes { get; init; } = [(576, 768), (128, 128)];

    /// <summary>Macroblock side (default 16).</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>Motion search range ± pixels (default 16).</summary>
    public int SearchRange { get; init; } = 16;

    /// <summary>Minimum wall time spent timing each measurement; the best repeat is kept.</summary>
    public double SecondsPerMeasurement { get; init; } = 2.0;

    /// <summary>Seed of the synthetic clip.</summary>
    public int Seed { get; init; } = 1;
}
