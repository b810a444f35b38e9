using System.Text.Json;
using Decoupled.Cli;
using Decoupled.Tests.Checkpoints;
using Decoupled.Video;

namespace Decoupled.Tests.VideoFusion;

/// <summary>VideoFusion through the CLI: pre-train the base, train the full model on it, generate short, controlled and long videos.</summary>
[Collection(TorchRngCollection.Name)]
public class VideoFusionCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-videofusion-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task PretrainTrainAndGenerateWriteVideos()
    {
        var baseRun = Path.Combine(dir, "base");
        var run = Path.Combine(dir, "run");
        string[] tiny = ["--frames", "4", "--size", "16", "--width", "8", "--mults", "1,2", "--steps", "2", "--warmup", "1", "--preview-every", "2"];
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "videofusion-base", .. tiny, "--batch", "2", "--out", baseRun]));
        Assert.True(File.Exists(Path.Combine(baseRun, "previews", "step_000002", "samples.png")));
        var trainJson = Path.Combine(dir, "train.json");
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "videofusion", .. tiny, "--batch", "4", "--residual-width", "8", "--lambda", "0.25",
            "--pretrain-base", baseRun, "--share-noise-by-label", "--residual-sees-base", "--out", run, "--json", trainJson]));
        Assert.Equal(2, JsonDocument.Parse(File.ReadAllText(trainJson)).RootElement.GetProperty("result").GetProperty("step").GetInt64());
        Assert.True(File.Exists(Path.Combine(run, "previews", "step_000002", "samples.png")));
        var config = File.ReadAllText(Path.Combine(run, "checkpoint", "config.json"));
        Assert.Contains("\"model_type\": \"videofusion\"", config);
        Assert.Contains("\"base_learning_rate_scale\": 0.1", config);
        Assert.Contains("\"share_noise_by_label\": true", config);
        Assert.Contains("\"prediction\": \"velocity\"", config);   // the CLI's default, through the v-form of equations 12-13
        var residualConfig = JsonDocument.Parse(config).RootElement.GetProperty("residual");
        Assert.Equal(16, residualConfig.GetProperty("first_frame_channels").GetInt32());   // --residual-sees-base

        var gif = Path.Combine(dir, "same_content.gif");
        var json = Path.Combine(dir, "generate.json");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--model", "videofusion", "--class", "move_left", "--steps", "2", "--count", "2",
            "--fix-base-noise", "5", "--out", gif, "--json", json]));
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var outputs = report.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.All(outputs, path => Assert.Equal(4, VideoReader.Read(path).Frames));
        Assert.Equal([5L, 5L], report.GetProperty("base_seeds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(JsonValueKind.Number, report.GetProperty("action_accuracy").ValueKind);

        // evaluate generates from the held-out clips' labels (no first frame) and scores the tracker's metrics.
        var evalJson = Path.Combine(dir, "evaluate.json");
        Assert.Equal(0, await CliApp.RunAsync(["evaluate", "--checkpoint", run, "--count", "2", "--steps", "2", "--metrics", "action,content_consistency",
            "--json", evalJson]));
        var evaluated = JsonDocument.Parse(File.ReadAllText(evalJson)).RootElement;
        Assert.Equal("videofusion", evaluated.GetProperty("model").GetString());
        foreach (var name in new[] { "action", "content_consistency", "content_consistency_real" })
            Assert.Equal(2, evaluated.GetProperty("metrics").GetProperty(name).GetProperty("n").GetInt32());
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--checkpoint", run, "--count", "2", "--steps", "2", "--dead-zone", "1"]));

        var longGif = Path.Combine(dir, "long.gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--label", "1", "--steps", "1", "--frames", "128", "--context-frames", "2", "--out", longGif]));
        var longVideo = VideoReader.Read(longGif);
        Assert.Equal(128, longVideo.Frames);
        Assert.Equal(16, longVideo.Width);

        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--out", gif]));
        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--label", "1", "--frames", "9", "--context-frames", "4", "--out", gif]));
        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--model", "vdm", "--label", "1", "--out", gif]));
        // A base pre-trained for v cannot start an eps model.
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "videofusion", .. tiny, "--prediction", "eps", "--pretrain-base", baseRun, "--out", Path.Combine(dir, "bad")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "videofusion", .. tiny, "--loss-weighting", "heavy", "--out", Path.Combine(dir, "bad")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "videofusion", .. tiny, "--size", "15", "--out", Path.Combine(dir, "bad")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "videofusion-base", .. tiny, "--residual-sees-base", "--out", Path.Combine(dir, "bad")]));
    }

    [Fact]
    public async Task BenchSampleComparesVideoFusionWithVdm()
    {
        var results = Path.Combine(dir, "bench");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "sample", "--frames", "4", "--size", "16", "--width", "8", "--mults", "1,2", "--steps", "2", "--out", results]));
        var models = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "sample.json"))).RootElement.GetProperty("models");
        Assert.Equal(["vdm", "videofusion"], models.EnumerateArray().Select(m => m.GetProperty("model").GetString()));
        foreach (var model in models.EnumerateArray())
        {
            Assert.True(model.GetProperty("seconds_per_denoising_step").GetDouble() > 0);
            Assert.True(model.GetProperty("peak_memory_mb").GetDouble() > 0);
            Assert.True(model.GetProperty("ratio_to_reference").GetProperty("gflops_per_denoising_step").GetDouble() > 0);
        }
        Assert.Contains("| videofusion |", File.ReadAllText(Path.Combine(results, "sample.md")));
        Assert.Equal(2, await CliApp.RunAsync(["bench", "sample", "--models", "vdm,moso", "--frames", "4", "--size", "16", "--width", "8", "--mults", "1,2", "--out", results]));
    }
}
