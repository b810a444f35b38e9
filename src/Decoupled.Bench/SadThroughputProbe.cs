using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Decoupled.Bench;

/// <summary>
/// Tight micro-kernels that measure this CPU rather than assume it: the core clock (a chain of
/// dependent one-cycle integer ops) and the peak rate of the widest SAD instruction
/// (<c>vpsadbw</c>, 12 independent chains so latency never limits it).
/// </summary>
public static class SadThroughputProbe
{
    private const int Chains = 12;
    private const int OpsPerClockIteration = 32;

    /// <summary>Width in bits of the SAD instruction measured: 512 with AVX-512BW, 256 with AVX2, else 0.</summary>
    public static int SadBits => Avx512BW.IsSupported ? 512 : Avx2.IsSupported ? 256 : 0;

    /// <summary>Core clock in GHz, from dependent add/xor chains (each one cycle of latency) on one thread.</summary>
    public static double MeasureClockGhz(double seconds)
    {
        long iterations = 1 << 20;
        ClockChain(iterations, 3, 5); // JIT and warm the core up
        double best = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            ClockChain(iterations, sw.ElapsedTicks | 1, 7);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, iterations * OpsPerClockIteration / elapsed / 1e9);
        }
        return best;
    }

    /// <summary>SAD instructions per second on one thread (best of repeated runs for about <paramref name="seconds"/>).</summary>
    public static double MeasureSadPerSecond(double seconds) => MeasureSadPerSecondOnThreads(1, seconds);

    /// <summary>SAD instructions per second with <paramref name="threads"/> threads running the kernel at once.</summary>
    public static double MeasureSadPerSecondOnThreads(int threads, double seconds)
    {
        if (SadBits == 0) return 0;
        long iterations = 1 << 18;
        SadChains(iterations, 1); // JIT
        double best = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => SadChains(iterations, (byte)(i + 1)));
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, threads * (double)iterations * Chains / elapsed);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ClockChain(long iterations, long y, long z)
    {
        long x = y;
        for (long i = 0; i < iterations; i++)
        {
            x += y; x ^= z; x += y; x ^= z; x += y; x ^= z; x += y; x ^= z;
            x += y; x ^= z; x += y; x ^= z; x += y; x ^= z; x += y; x ^= z;
            x += y; x ^= z; x += y; x ^= z; x += y; x ^= z; x += y; x ^= z;
            x += y; x ^= z; x += y; x ^= z; x += y; x ^= z; x += y; x ^= z;
        }
        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong SadChains(long iterations, byte seed)
    {
        if (Avx512BW.IsSupported)
        {
            var y = Vector512.Create(seed);
            Vector512<byte> a0 = Vector512.Create((byte)(seed + 1)), a1 = Vector512.Create((byte)(seed + 2)), a2 = Vector512.Create((byte)(seed + 3)),
                a3 = Vector512.Create((byte)(seed + 4)), a4 = Vector512.Create((byte)(seed + 5)), a5 = Vector512.Create((byte)(seed + 6)),
                a6 = Vector512.Create((byte)(seed + 7)), a7 = Vector512.Create((byte)(seed + 8)), a8 = Vector512.Create((byte)(seed + 9)),
                a9 = Vector512.Create((byte)(seed + 10)), a10 = Vector512.Create((byte)(seed + 11)), a11 = Vector512.Create((byte)(seed + 12));
            for (long i = 0; i < iterations; i++)
            {
                a0 = Avx512BW.SumAbsoluteDifferences(a0, y).AsByte(); a1 = Avx512BW.SumAbsoluteDifferences(a1, y).AsByte();
                a2 = Avx512BW.SumAbsoluteDifferences(a2, y).AsByte(); a3 = Avx512BW.SumAbsoluteDifferences(a3, y).AsByte();
                a4 = Avx512BW.SumAbsoluteDifferences(a4, y).AsByte(); a5 = Avx512BW.SumAbsoluteDifferences(a5, y).AsByte();
                a6 = Avx512BW.SumAbsoluteDifferences(a6, y).AsByte(); a7 = Avx512BW.SumAbsoluteDifferences(a7, y).AsByte();
                a8 = Avx512BW.SumAbsoluteDifferences(a8, y).AsByte(); a9 = Avx512BW.SumAbsoluteDifferences(a9, y).AsByte();
                a10 = Avx512BW.SumAbsoluteDifferences(a10, y).AsByte(); a11 = Avx512BW.SumAbsoluteDifferences(a11, y).AsByte();
            }
            return (a0 ^ a1 ^ a2 ^ a3 ^ a4 ^ a5 ^ a6 ^ a7 ^ a8 ^ a9 ^ a10 ^ a11).AsUInt64().ToScalar();
        }
        else
        {
            var y = Vector256.Create(seed);
            Vector256<byte> a0 = Vector256.Create((byte)(seed + 1)), a1 = Vector256.Create((byte)(seed + 2)), a2 = Vector256.Create((byte)(seed + 3)),
                a3 = Vector256.Create((byte)(seed + 4)), a4 = Vector256.Create((byte)(seed + 5)), a5 = Vector256.Create((byte)(seed + 6)),
                a6 = Vector256.Create((byte)(seed + 7)), a7 = Vector256.Create((byte)(seed + 8)), a8 = Vector256.Create((byte)(seed + 9)),
                a9 = Vector256.Create((byte)(seed + 10)), a10 = Vector256.Create((byte)(seed + 11)), a11 = Vector256.Create((byte)(seed + 12));
            for (long i = 0; i < iterations; i++)
            {
                a0 = Avx2.SumAbsoluteDifferences(a0, y).AsByte(); a1 = Avx2.SumAbsoluteDifferences(a1, y).AsByte();
                a2 = Avx2.SumAbsoluteDifferences(a2, y).AsByte(); a3 = Avx2.SumAbsoluteDifferences(a3, y).AsByte();
                a4 = Avx2.SumAbsoluteDifferences(a4, y).AsByte(); a5 = Avx2.SumAbsoluteDifferences(a5, y).AsByte();
                a6 = Avx2.SumAbsoluteDifferences(a6, y).AsByte(); a7 = Avx2.SumAbsoluteDifferences(a7, y).AsByte();
                a8 = Avx2.SumAbsoluteDifferences(a8, y).AsByte(); a9 = Avx2.SumAbsoluteDifferences(a9, y).AsByte();
                a10 = Avx2.SumAbsoluteDifferences(a10, y).AsByte(); a11 = Avx2.SumAbsoluteDifferences(a11, y).AsByte();
            }
            return (a0 ^ a1 ^ a2 ^ a3 ^ a4 ^ a5 ^ a6 ^ a7 ^ a8 ^ a9 ^ a10 ^ a11).AsUInt64().ToScalar();
        }
    }
}
