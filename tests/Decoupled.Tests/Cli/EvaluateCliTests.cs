using System.Text.Json;
using Decoupled.Cli;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Video;

namespace Decoupled.Tests.Cli;

/// <summary><c>evaluate --fake DIR</c> with every metric, on the tiny fixture networks, and its exit-code contract.</summary>
[Collection("Console")]
public class EvaluateCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-evaluate-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Metrics(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics", name);

    // The evaluation set itself as PNG frame folders (lossless): a "generator" that reproduces the real clips.
    private string WriteRealClipsAsFakes(int count)
    {
        var fake = Path.Combine(dir, "fake");
        var items = ShapesEvaluationSet.Create(count, 8, 64, 64, seed: 0);
        for (int i = 0; i < items.Count; i++) VideoWriter.WritePngFrames(items[i].Clip, Path.Combine(fake, $"{i}"));
        return fake;
    }

    [Fact]
    public async Task FakeFolderIsScoredWithEveryMetric()
    {
        var fake = WriteRealClipsAsFakes(12);
        var json = Path.Combine(dir, "eval.json");
        var markdown = Path.Combine(dir, "eval.md");
        int rc = await CliApp.RunAsync(["evaluate", "--fake", fake, "--real", "shapes", "--count", "12", "--frames", "8",
            "--metrics", "action,psnr,ssim,lpips,fvd,kvd,fid,is", "--lpips", Metrics("lpips_alex_tiny.safetensors"),
            "--i3d", Metrics("tiny_i3d.pt"), "--inception", Metrics("tiny_inception.pt"), "--json", json, "--markdown", markdown]);
        Assert.Equal(0, rc);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var metrics = root.GetProperty("metrics");
        double Mean(string name) => metrics.GetProperty(name).GetProperty("mean").GetDouble();
        Assert.Equal(12, root.GetProperty("generated").GetInt32());
        Assert.Equal(1.0, Mean("action"));
        Assert.Equal(100.0, Mean("psnr"));
        Assert.Equal(0.0, Mean("lpips"), 6);
        Assert.InRange(Mean("fvd"), -1e-6, 1e-6);
        Assert.InRange(Mean("fid"), -1e-6, 1e-6);
        Assert.InRange(Mean("cfvd"), -1e-6, 1e-6); // actions 0 of clips 0 and 11: one class with 2 clips
        Assert.True(Mean("is") >= 1.0);
        Assert.Equal(100, metrics.GetProperty("kvd").GetProperty("n").GetInt32());
        Assert.Equal(12, metrics.GetProperty("psnr").GetProperty("n").GetInt32());
        Assert.Contains("| fvd |", File.ReadAllText(markdown));
    }

    [Fact]
    public async Task FakeClipsPairWithRealOnesByName()
    {
        // A real folder dataset of two classes; the fakes are exact copies, named after their sources
        // but flat and in another natural order, so only pairing by name gives a perfect score.
        var real = Path.Combine(dir, "real");
        var fake = Path.Combine(dir, "fake-named");
        var items = ShapesEvaluationSet.Create(3, 8, 32, 32, seed: 0);
        string[] paths = ["walk/zeta", "walk/alpha", "run/mid"];
        for (int i = 0; i < 3; i++)
        {
            VideoWriter.WritePngFrames(items[i].Clip, Path.Combine(real, paths[i]));
            VideoWriter.WritePngFrames(items[i].Clip, Path.Combine(fake, Path.GetFileName(paths[i])));
        }
        var json = Path.Combine(dir, "named.json");
        Assert.Equal(0, await CliApp.RunAsync(["evaluate", "--fake", fake, "--real", real, "--frames", "8", "--metrics", "psnr", "--json", json]));
        var psnr = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("metrics").GetProperty("psnr");
        Assert.Equal(100.0, psnr.GetProperty("mean").GetDouble());
        Assert.Equal(3, psnr.GetProperty("n").GetInt32());

        VideoWriter.WritePngFrames(items[0].Clip, Path.Combine(fake, "stranger"));
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--fake", fake, "--real", real, "--frames", "8", "--metrics", "psnr", "--pair-by", "name"]));
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--fake", fake, "--real", "shapes", "--frames", "8", "--metrics", "psnr", "--pair-by", "name"]));
    }

    [Theory]
    [InlineData("fvd", "--i3d")]
    [InlineData("is", "--inception")]
    [InlineData("lpips", "--lpips")]
    [InlineData("fd_shapes", "--classifier")]
    [InlineData("classifier_accuracy", "--classifier")]
    public async Task AMetricWithoutItsWeightsExitsWithTwoNamingTheOption(string metric, string option)
    {
        var fake = Path.Combine(dir, "empty");
        Directory.CreateDirectory(fake);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int rc;
        try
        {
            rc = await CliApp.RunAsync(["evaluate", "--fake", fake, "--metrics", $"psnr,{metric}"]);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Equal(2, rc);
        var text = error.ToString().Trim();
        Assert.DoesNotContain("\n", text);
        Assert.Contains(metric, text);
        Assert.Contains(option, text);
    }

    [Fact]
    public async Task BadNetworkFilesAndMissingSourcesExitWithTwo()
    {
        var fake = WriteRealClipsAsFakes(2);
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--fake", fake, "--frames", "8", "--metrics", "fvd", "--i3d", Metrics("lpips_reference.json")]));
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--metrics", "psnr"]));
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--fake", Path.Combine(dir, "nothing"), "--metrics", "psnr"]));
    }
}
