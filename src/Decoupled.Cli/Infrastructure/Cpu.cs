using System.Runtime.Intrinsics.X86;

namespace Decoupled.Cli.Infrastructure;

/// <summary>CPU features relevant to the block-motion search.</summary>
public static class Cpu
{
    /// <summary>A short list such as "AVX2 AVX-512BW".</summary>
    public static string Features()
    {
        var list = new List<string>();
        if (Sse41.IsSupported) list.Add("SSE4.1");
        if (Avx2.IsSupported) list.Add("AVX2");
        if (Avx512BW.IsSupported) list.Add("AVX-512BW");
        return list.Count == 0 ? "none" : string.Join(' ', list);
    }
}
