using System.Text.Json;
using Decoupled.Video;

namespace Decoupled.Tests.Metrics.Perceptual;

/// <summary>One case of fixtures/metrics/lpips_reference.json (made by make_lpips_reference.py in float64 numpy).</summary>
internal sealed record LpipsCase(string Name, string WeightsPath, long[] Widths, VideoClip Clip0, VideoClip Clip1, double[] Lpips, double[][] PerLayer);

/// <summary>The LPIPS reference cases and paths to their tiny weight files.</summary>
internal static class LpipsFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics");

    public static string AlexWeights => Path.Combine(Folder, "lpips_alex_tiny.safetensors");

    public static string VggWeights => Path.Combine(Folder, "lpips_vgg_tiny.safetensors");

    public static IReadOnlyList<LpipsCase> Cases { get; } = Load();

    public static LpipsCase Case(string name) => Cases.Single(c => c.Name == name);

    private static List<LpipsCase> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "lpips_reference.json")));
        var cases = new List<LpipsCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
            cases.Add(new LpipsCase(
                c.GetProperty("name").GetString()!,
                Path.Combine(Folder, c.GetProperty("weights").GetString()!),
                c.GetProperty("widths").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                Clip(c.GetProperty("frames0"), h, w),
                Clip(c.GetProperty("frames1"), h, w),
                c.GetProperty("lpips").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                c.GetProperty("per_layer").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray()));
        }
        return cases;
    }

    // The fixture's frames (base64 bytes [H, W, 3] each) as one clip, frame i = image pair i.
    private static VideoClip Clip(JsonElement frames, int height, int width)
    {
        var pixels = frames.EnumerateArray().SelectMany(f => Convert.FromBase64String(f.GetString()!)).ToArray();
        return new VideoClip(pixels.Length / (height * width * VideoClip.Channels), height, width, pixels);
    }
}
