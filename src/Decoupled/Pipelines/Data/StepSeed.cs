namespace Decoupled.Pipelines.Data;

/// <summary>Derives independent, reproducible seeds from (seed, step, slot) with SplitMix64 finalisers.</summary>
public static class StepSeed
{
    /// <summary>A 64-bit seed for one (seed, step, slot) triple.</summary>
    public static ulong Of(long seed, long step, int slot = 0) =>
        Mix(Mix(Mix((ulong)seed) ^ (ulong)step * 0x9E3779B97F4A7C15UL) ^ (ulong)(uint)slot * 0xD1B54A32D192ED03UL);

    /// <summary>A <see cref="Random"/> seeded from (seed, step, slot).</summary>
    public static Random Random(long seed, long step, int slot = 0) => new((int)(Of(seed, step, slot) & 0x7FFFFFFF));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
