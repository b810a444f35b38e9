using System.Diagnostics;
using Decoupled.Decompositions;
using Decoupled.Video;

namespace Decoupled.Bench;

/// <summary>
/// Times the block-motion decomposition (exhaustive and diamond search) and compares the
/// exhaustive search with this CPU's SAD-instruction ceiling, measured on the spot by
/// <see cref="SadThroughputProbe"/>. The CLI's <c>bench</c> verb calls <see cref="Run"/>.
/// </summary>
public static class DecomposeBenchmark
{
    /// <summary>Runs every measurement; takes roughly 8 x SecondsPerMeasurement per frame size.</summary>
    public static DecomposeBenchmarkResult Run(DecomposeBenchmarkOptions? options = null, Action<string>? log = null)
    {
        options ??= new DecomposeBenchmarkOptions();
        log ??= _ => { };
        var cpu = MeasureCpu(options.SecondsPerMeasurement, log);
        var sizes = options.Sizes.Select(size => MeasureSize(size.Height, size.Width, options, cpu, log)).ToList();
        return new DecomposeBenchmarkResult(options.BlockSize, options.SearchRange, cpu, sizes);
    }

    private static CpuSadCapability MeasureCpu(double seconds, Action<string> log)
    {
        int cores = Environment.ProcessorCount;
        double load = LoadAverage();
        double ghz = SadThroughputProbe.MeasureClockGhz(seconds);
        double one = SadThroughputProbe.MeasureSadPerSecond(seconds);
        double all = SadThroughputProbe.MeasureSadPerSecondOnThreads(cores, seconds);
        int bytes = SadThroughputProbe.SadBits / 8;
        double perCycle = one / (ghz * 1e9);
        var cpu = new CpuSadCapability(CpuModel(), cores, BlockSad.Resolve(SadKernel.Auto).ToString(), SadThroughputProbe.SadBits,
            ghz, perCycle, cores * perCycle * bytes * ghz * 1e9, one * bytes, all * bytes, load);
        log($"cpu: {ghz:F2} GHz, vpsadbw {perCycle:F2}/cycle, ceiling {cpu.CeilingBytesPerSecond / 1e9:F1} GB/s");
        return cpu;
    }

    private static DecomposeSizeResult MeasureSize(int height, int width, DecomposeBenchmarkOptions o, CpuSadCapability cpu, Action<string> log)
    {
        // Enough P-frames that one run lasts ~0.1 s or more: long against the thread pool's start-up
        // cost and against the 10 ms tick of the process CPU-time counter.
        int pFrames = Math.Clamp(16_000_000 / (height * width), 4, 512);
        var clip = MovingTexture(pFrames + 1, height, width, o.Seed);
        var exhaustive = new BlockMotion(new BlockMotionOptions { BlockSize = o.BlockSize, SearchRange = o.SearchRange });
        var diamond = new BlockMotion(exhaustive.Options with { Search = MotionSearch.Diamond });

        var (searchSeconds, searchCpuSeconds) = BestTimes(() => exhaustive.EstimateMotion(clip), o.SecondsPerMeasurement);
        double searchFps = pFrames / searchSeconds;
        double decomposeFps = pFrames / BestSeconds(() => exhaustive.Decompose(clip), o.SecondsPerMeasurement);
        double diamondFps = pFrames / BestSeconds(() => diamond.EstimateMotion(clip), o.SecondsPerMeasurement);
        double diamondDecomposeFps = pFrames / BestSeconds(() => diamond.Decompose(clip), o.SecondsPerMeasurement);

        long candidates = CandidatesPerFrame(height, width, o.BlockSize, o.SearchRange);
        long bytes = candidates * o.BlockSize * o.BlockSize * VideoClip.Channels;
        double achieved = bytes * searchFps;
        int blocks = ((height + o.BlockSize - 1) / o.BlockSize) * ((width + o.BlockSize - 1) / o.BlockSize);
        // Per CPU-second against one core's ceiling: what each core achieves while it runs, robust to other load on the machine.
        double perCoreFraction = bytes * pFrames / searchCpuSeconds / (cpu.CeilingBytesPerSecond / cpu.Cores);
        var result = new DecomposeSizeResult(height, width, pFrames, blocks, candidates, bytes, searchFps, achieved,
            achieved / cpu.CeilingBytesPerSecond, achieved / cpu.KernelBytesPerSecondAllCores, perCoreFraction, decomposeFps, diamondFps, diamondDecomposeFps,
            new FrameDifference().Decompose(clip).MeanAbsFrameDifference(),
            exhaustive.Decompose(clip).MeanAbsResidual(), diamond.Decompose(clip).MeanAbsResidual());
        log($"{width}x{height}: exhaustive {searchFps:F1} fps ({result.FractionOfCeiling:P1} of ceiling), diamond {diamondFps:F1} fps");
        return result;
    }

    /// <summary>Candidates the exhaustive search evaluates: every vector within ±range keeping the block inside the padded frame.</summary>
    public static long CandidatesPerFrame(int height, int width, int blockSize, int range)
    {
        int paddedH = (height + blockSize - 1) / blockSize * blockSize, paddedW = (width + blockSize - 1) / blockSize * blockSize;
        static long Span(int position, int max, int range) => Math.Min(range, max - position) - Math.Max(-range, -position) + 1;
        long rows = 0, cols = 0;
        for (int y = 0; y < paddedH; y += blockSize) rows += Span(y, paddedH - blockSize, range);
        for (int x = 0; x < paddedW; x += blockSize) cols += Span(x, paddedW - blockSize, range);
        return rows * cols; // the window is a product of independent x and y ranges
    }

    private static double BestSeconds(Action action, double budget) => BestTimes(action, budget).Wall;

    /// <summary>Best wall time of repeated runs, and the least process CPU time of any run.</summary>
    private static (double Wall, double Cpu) BestTimes(Action action, double budget)
    {
        action(); // JIT, thread pool and caches
        double best = double.MaxValue, bestCpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        var total = Stopwatch.StartNew();
        do
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuStart).TotalSeconds);
        } while (total.Elapsed.TotalSeconds < budget);
        return (best, bestCpu);
    }

    /// <summary>A noisy texture panning by (2, 1) pixels per frame, with fresh sensor noise in every frame.</summary>
    private static VideoClip MovingTexture(int frames, int height, int width, int seed)
    {
        var rng = new Random(seed);
        int margin = 2 * frames + 2, bigW = width + 2 * margin;
        var big = new byte[(height + 2 * margin) * bigW * 3];
        rng.NextBytes(big);
        for (int i = 3; i < big.Length; i++) big[i] = (byte)((big[i] + big[i - 3]) / 2); // some spatial correlation
        var clip = new VideoClip(frames, height, width);
        for (int t = 0; t < frames; t++)
        {
            for (int y = 0; y < height; y++)
                big.AsSpan(((margin + t + y) * bigW + margin + 2 * t) * 3, width * 3).CopyTo(clip.Frame(t).Slice(y * width * 3));
            var frame = clip.Frame(t);
            for (int i = 0; i < frame.Length; i++) frame[i] = (byte)Math.Clamp(frame[i] + rng.Next(-3, 4), 0, 255);
        }
        return clip;
    }

    private static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
