using static TorchSharp.torch;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// Randomness that is a pure function of (seed, step), so that a resumed run sees exactly the
/// batches and noise an uninterrupted one would: nothing carries over from one step to the next.
/// Batch sources should draw from <see cref="Random"/> or <see cref="Generator"/> of their step.
/// Different <c>stream</c> values give independent sequences for different uses within a step.
/// </summary>
public static class StepRandom
{
    /// <summary>Stream the trainer passes to the model's loss (noise, timesteps, condition dropout).</summary>
    public const ulong LossStream = 1;

    /// <summary>Stream the trainer seeds torch's global RNG from before each step (dropout, weight noise).</summary>
    public const ulong GlobalStream = 2;

    /// <summary>First stream free for batch sources.</summary>
    public const ulong BatchStream = 16;

    /// <summary>A 64-bit seed mixed from the three values (SplitMix64 finaliser on each), well spread even for neighbouring steps.</summary>
    public static ulong Seed(long seed, long step, ulong stream = BatchStream)
    {
        ulong h = Mix((ulong)seed);
        h = Mix(h ^ (ulong)step);
        return Mix(h ^ stream);
    }

    /// <summary>A .NET <see cref="System.Random"/> for <paramref name="step"/> (its own algorithm, stable for a given seed).</summary>
    public static Random Random(long seed, long step, ulong stream = BatchStream) =>
        new((int)(Seed(seed, step, stream) & int.MaxValue));

    /// <summary>A CPU torch generator for <paramref name="step"/>; dispose it after the step.</summary>
    public static Generator Generator(long seed, long step, ulong stream = BatchStream) =>
        new(Seed(seed, step, stream));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
