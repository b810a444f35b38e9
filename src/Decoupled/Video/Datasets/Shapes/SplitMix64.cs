namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// SplitMix64 pseudo-random generator. Tiny, fast and fully specified, so a seed gives the same
/// stream on every machine and runtime (System.Random's algorithm is not a documented contract).
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    /// <summary>Creates a generator whose stream is fixed by <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The SplitMix64 finaliser: a bijective hash of <paramref name="x"/>, used to derive child seeds.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>A seed for the child stream number <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, ulong index) => Mix(Mix(seed) ^ Mix(index + 0x632BE59BD9B4E019UL));

    /// <summary>Next 64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="count"/>); <paramref name="count"/> must be positive.</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        // Multiply-shift maps 64 random bits onto the range with negligible bias and no division.
        return (int)(((UInt128)NextUInt64() * (ulong)count) >> 64);
    }

    /// <summary>Standard normal sample (Marsaglia polar method: only sqrt and log, both correctly rounded).</summary>
    public double NextGaussian()
    {
        while (true)
        {
            var u = 2 * NextDouble() - 1;
            var v = 2 * NextDouble() - 1;
            var s = u * u + v * v;
            if (s > 0 && s < 1) return u * Math.Sqrt(-2 * Math.Log(s) / s);
        }
    }
}
