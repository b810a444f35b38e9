using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Decoupled.Bench;

/// <summary>What this CPU can do, measured by <see cref="SadThroughputProbe"/>.</summary>
/// <param name="Model">CPU model name from /proc/cpuinfo, or "unknown".</param>
/// <param name="Cores">Logical processors .NET sees.</param>
/// <param name="SadKernel">SAD path the search used (Avx512, Avx2, ...).</param>
/// <param name="SadInstructionBits">Width of the vpsadbw measured (512 or 256).</param>
/// <param name="ClockGhz">Measured core clock.</param>
/// <param name="SadInstructionsPerCycle">Measured vpsadbw per cycle on one core.</param>
/// <param name="CeilingBytesPerSecond">cores x vpsadbw/cycle x bytes per vpsadbw x clock.</param>
/// <param name="KernelBytesPerSecondOneCore">Measured vpsadbw bytes/s on one thread.</param>
/// <param name="KernelBytesPerSecondAllCores">Measured vpsadbw bytes/s with every core running the micro-kernel.</param>
/// <param name="LoadAverage">1-minute load average when the run started (other work on the machine skews every figure).</param>
public sealed record CpuSadCapability(string Model, int Cores, string SadKernel, int SadInstructionBits, double ClockGhz,
    double SadInstructionsPerCycle, double CeilingBytesPerSecond, double KernelBytesPerSecondOneCore, double KernelBytesPerSecondAllCores,
    double LoadAverage);

/// <summary>Timings for one frame size.</summary>
/// <param name="Height">Frame height.</param>
/// <param name="Width">Frame width.</param>
/// <param name="PFrames">P-frames per timed run.</param>
/// <param name="BlocksPerFrame">Macroblocks per frame.</param>
/// <param name="CandidatesPerFrame">Vectors the exhaustive search evaluates per frame (fewer than blocks x (2R+1)^2 at the borders).</param>
/// <param name="BytesComparedPerFrame">CandidatesPerFrame x block pixels x 3 channels.</param>
/// <param name="ExhaustiveSearchFps">P-frames per second of the exhaustive motion search alone.</param>
/// <param name="ExhaustiveAchievedBytesPerSecond">BytesComparedPerFrame x ExhaustiveSearchFps.</param>
/// <param name="FractionOfCeiling">Achieved / <see cref="CpuSadCapability.CeilingBytesPerSecond"/>.</param>
/// <param name="FractionOfMeasuredAllCoreKernel">Achieved / <see cref="CpuSadCapability.KernelBytesPerSecondAllCores"/>.</param>
/// <param name="PerCoreFractionOfCeiling">Bytes compared per CPU-second of the search over one core's ceiling: unaffected by other load.</param>
/// <param name="ExhaustiveDecomposeFps">P-frames per second of the whole decomposition (search, compensation, residual).</param>
/// <param name="DiamondSearchFps">P-frames per second of the diamond motion search alone.</param>
/// <param name="DiamondDecomposeFps">P-frames per second of the whole decomposition with diamond search.</param>
/// <param name="MeanAbsFrameDifference">Zero-motion residual of the benchmark clip.</param>
/// <param name="ExhaustiveMeanAbsResidual">Residual left by the exhaustive search.</param>
/// <param name="DiamondMeanAbsResidual">Residual left by the diamond search.</param>
public sealed record DecomposeSizeResult(int Height, int Width, int PFrames, int BlocksPerFrame, long CandidatesPerFrame,
    long BytesComparedPerFrame, double ExhaustiveSearchFps, double ExhaustiveAchievedBytesPerSecond, double FractionOfCeiling,
    double FractionOfMeasuredAllCoreKernel, double PerCoreFractionOfCeiling, double ExhaustiveDecomposeFps, double DiamondSearchFps, double DiamondDecomposeFps,
    double MeanAbsFrameDifference, double ExhaustiveMeanAbsResidual, double DiamondMeanAbsResidual);

/// <summary>Result of <see cref="DecomposeBenchmark.Run"/>; writes itself as JSON (snake_case) or Markdown.</summary>
/// <param name="BlockSize">Macroblock side.</param>
/// <param name="SearchRange">Search range ± pixels.</param>
/// <param name="Cpu">Measured capability of this CPU.</param>
/// <param name="Sizes">One entry per frame size.</param>
public sealed record DecomposeBenchmarkResult(int BlockSize, int SearchRange, CpuSadCapability Cpu, IReadOnlyList<DecomposeSizeResult> Sizes)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The result as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (temp file, then rename).</summary>
    public void WriteJson(string path) => WriteAtomically(path, ToJson());

    /// <summary>Writes a Markdown report with the method and the figures to <paramref name="path"/>.</summary>
    public void WriteMarkdown(string path) => WriteAtomically(path, ToMarkdown());

    /// <summary>The Markdown report.</summary>
    public string ToMarkdown()
    {
        var c = Cpu;
        var s = new StringBuilder();
        s.AppendLine(Inv($"# Block-motion decomposition benchmark ({BlockSize}x{BlockSize} blocks, ±{SearchRange} exhaustive)"));
        s.AppendLine();
        s.AppendLine(Inv($"CPU: {c.Model}, {c.Cores} cores, SAD kernel {c.SadKernel}. Measured clock {c.ClockGhz:F2} GHz; ") + Inv(
                         $"{c.SadInstructionBits}-bit vpsadbw {c.SadInstructionsPerCycle:F2}/cycle/core; load average {c.LoadAverage:F2} at start."));
        s.AppendLine(Inv($"Ceiling = cores x vpsadbw/cycle x {c.SadInstructionBits / 8} bytes x clock = {c.CeilingBytesPerSecond / 1e9:F1} GB/s ") + Inv(
                         $"(micro-kernel measured {c.KernelBytesPerSecondOneCore / 1e9:F1} GB/s on one core, {c.KernelBytesPerSecondAllCores / 1e9:F1} GB/s on all)."));
        s.AppendLine("Bytes compared per frame = candidates evaluated x block pixels x 3 channels; fps counts P-frames; each figure is the best of repeated runs.");
        s.AppendLine();
        s.AppendLine("| size | candidates/frame | exhaustive search fps | achieved GB/s | of ceiling | of all-core kernel | per core (CPU time) | exhaustive decompose fps | diamond search fps | diamond decompose fps | mean abs frame diff | residual exhaustive | residual diamond |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Sizes)
            s.AppendLine(Inv($"| {r.Width}x{r.Height} | {r.CandidatesPerFrame} | {r.ExhaustiveSearchFps:F1} | {r.ExhaustiveAchievedBytesPerSecond / 1e9:F1} | ") + Inv(
                             $"{r.FractionOfCeiling:P1} | {r.FractionOfMeasuredAllCoreKernel:P1} | {r.PerCoreFractionOfCeiling:P1} | {r.ExhaustiveDecomposeFps:F1} | {r.DiamondSearchFps:F1} | ") + Inv(
                             $"{r.DiamondDecomposeFps:F1} | {r.MeanAbsFrameDifference:F2} | {r.ExhaustiveMeanAbsResidual:F2} | {r.DiamondMeanAbsResidual:F2} |"));
        return s.ToString();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }
}
