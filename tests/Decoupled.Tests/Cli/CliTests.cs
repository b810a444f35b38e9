using System.Text.Json;
using Decoupled.Cli;

namespace Decoupled.Tests.Cli;

/// <summary>The verbs of issue #2 end to end, in-process, with their exit-code contract.</summary>
[Collection("Console")]
public class CliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    [Fact]
    public async Task DatasetShapesWritesVideosCaptionsAndLabels()
    {
        var json = Path.Combine(dir, "dataset.json");
        int rc = await CliApp.RunAsync(["dataset", "shapes", "--out", dir, "--count", "12", "--frames", "8", "--size", "32", "--seed", "3", "--json", json]);
        Assert.Equal(0, rc);
        var labels = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "labels.json"))).RootElement.GetProperty("clips");
        Assert.Equal(12, labels.GetArrayLength());
        foreach (var clip in labels.EnumerateArray())
        {
            var file = Path.Combine(dir, clip.GetProperty("file").GetString()!);
            Assert.True(File.Exists(file), file);
            Assert.Equal(clip.GetProperty("caption").GetString() + "\n", File.ReadAllText(Path.ChangeExtension(file, ".txt")));
        }
        Assert.Equal(12, JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("clips").GetInt32());
    }

    [Theory]
    [InlineData("codec")]
    [InlineData("diff")]
    [InlineData("moso")]
    public async Task DecomposeRealFootageIsExactAndReportsTheFigures(string method)
    {
        var json = Path.Combine(dir, "out.json");
        int rc = await CliApp.RunAsync(["decompose", "--input", Fixture("city.mp4"), "--method", method, "--frames", "8", "--out", dir, "--json", json]);
        Assert.Equal(0, rc);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(method, root.GetProperty("method").GetString());
        Assert.Equal(8, root.GetProperty("frames").GetInt32());
        Assert.Equal(160, root.GetProperty("width").GetInt32());
        Assert.Equal(120, root.GetProperty("height").GetInt32());
        Assert.True(root.GetProperty("exact").GetBoolean());
        Assert.True(root.GetProperty("mean_abs_frame_difference").GetDouble() > 0);
        Assert.True(root.GetProperty("frames_per_second").GetDouble() > 0);
        foreach (var output in root.GetProperty("outputs").EnumerateObject())
            Assert.True(File.Exists(output.Value.GetString()), output.Value.GetString());
        if (method == "codec")
            Assert.True(root.GetProperty("mean_abs_residual").GetDouble() <= root.GetProperty("mean_abs_frame_difference").GetDouble());
    }

    [Theory]
    [InlineData("broken", "not_a_video.mp4")]
    [InlineData("broken", "city_truncated.mp4")]
    [InlineData("does_not_exist.mp4")]
    public async Task BrokenInputExitsWithTwoAndWritesNothing(params string[] fixture)
    {
        var outDir = Path.Combine(dir, "never");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int rc;
        try
        {
            rc = await CliApp.RunAsync(["decompose", "--input", Fixture(fixture), "--out", outDir]);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Equal(2, rc);
        var text = error.ToString().Trim();
        Assert.DoesNotContain("\n", text);
        Assert.Contains(fixture[^1], text);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task UnknownOptionsAndBadValuesExitWithTwo()
    {
        Assert.Equal(2, await CliApp.RunAsync(["decompose", "--no-such-option"]));
        Assert.Equal(2, await CliApp.RunAsync(["dataset", "shapes", "--out", dir, "--size", "7"]));
        Assert.Equal(2, await CliApp.RunAsync(["decompose", "--input", Fixture("city.mp4"), "--out", dir, "--block", "5"]));
    }

    [Fact]
    public async Task DemoWritesAPageWithExactInverses()
    {
        // Two denoising steps keep the shipped checkpoint's image-to-video section fast; its figures are not judged here.
        int rc = await CliApp.RunAsync(["demo", "--out", dir, "--count", "2", "--frames", "6", "--size", "48", "--steps", "2"]);
        Assert.Equal(0, rc);
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("<img", html);
        var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "demo.json"))).RootElement;
        var results = demo.GetProperty("results");
        Assert.Equal(6, results.GetArrayLength());
        Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("result").GetProperty("exact").GetBoolean()));
        var generation = demo.GetProperty("generation");
        Assert.InRange(generation.GetProperty("action_accuracy").GetDouble(), 0, 1);
        Assert.Equal("ddpm", generation.GetProperty("sampler").GetString());
        Assert.Contains("2 DDPM steps", html, StringComparison.Ordinal);
        var videos = generation.GetProperty("videos");
        Assert.Equal(11, videos.GetArrayLength());
        Assert.All(videos.EnumerateArray(), v => Assert.True(File.Exists(Path.Combine(dir, v.GetProperty("generated").GetString()!))));
        Assert.Contains("action accuracy", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DemoTakesTheDeterministicSamplerOnRequestAndRejectsUnknownOnes()
    {
        Assert.Equal(0, await CliApp.RunAsync(["demo", "--out", dir, "--count", "1", "--frames", "6", "--size", "48", "--steps", "2", "--sampler", "ddim"]));
        var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "demo.json"))).RootElement;
        Assert.Equal("ddim", demo.GetProperty("generation").GetProperty("sampler").GetString());
        Assert.Equal(2, await CliApp.RunAsync(["demo", "--out", dir, "--count", "1", "--steps", "2", "--sampler", "euler"]));
    }

    [Fact]
    public async Task DemoWithAMissingCheckpointIsABadInput() =>
        Assert.Equal(2, await CliApp.RunAsync(["demo", "--out", dir, "--count", "1", "--frames", "6", "--size", "48", "--checkpoint", Path.Combine(dir, "nothing")]));
}
