using System.Text.Json;
using Decoupled.Metrics.Frame;
using Decoupled.Video;

namespace Decoupled.Tests.Metrics;

/// <summary>PSNR and SSIM against values computed by scikit-image (fixtures/metrics/make_frame_metric_reference.py).</summary>
public class FrameMetricReferenceTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PsnrAndSsimMatchScikitImage(string name)
    {
        var c = Load().Single(e => e.GetProperty("name").GetString() == name);
        int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
        var a = Convert.FromBase64String(c.GetProperty("reference").GetString()!);
        var b = Convert.FromBase64String(c.GetProperty("distorted").GetString()!);
        Assert.Equal(c.GetProperty("psnr").GetDouble(), Psnr.Frame(a, b), 1e-3);
        Assert.Equal(c.GetProperty("ssim").GetDouble(), Ssim.Frame(a, b, h, w), 1e-3);
    }

    [Fact]
    public void IdenticalFramesGiveCapAndOne()
    {
        var clip = new VideoClip(2, 16, 16);
        new Random(1).NextBytes(clip.Pixels);
        Assert.Equal(Psnr.MaxDecibels, Psnr.Clip(clip, clip.Clone()));
        Assert.Equal(1.0, Ssim.Clip(clip, clip.Clone()), 12);
    }

    [Fact]
    public void ClipPsnrIsTheMeanOfFramePsnr()
    {
        var a = new VideoClip(2, 16, 16);
        var b = a.Clone();
        b.Frame(0).Fill(10);   // MSE 100 -> 28.13 dB
        b.Frame(1).Fill(1);    // MSE 1   -> 48.13 dB
        double expected = (10 * Math.Log10(255.0 * 255 / 100) + 10 * Math.Log10(255.0 * 255)) / 2;
        Assert.Equal(expected, Psnr.Clip(a, b), 9);
    }

    [Fact]
    public void MismatchedOrTinyFramesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Psnr.Clip(new VideoClip(2, 16, 16), new VideoClip(3, 16, 16)));
        Assert.Throws<ArgumentException>(() => Ssim.Frame(new byte[8 * 8 * 3], new byte[8 * 8 * 3], 8, 8));
    }

    private static List<JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics", "frame_metric_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
