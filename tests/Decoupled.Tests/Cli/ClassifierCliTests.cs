using System.Text.Json;
using Decoupled.Cli;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Video;

namespace Decoupled.Tests.Cli;

/// <summary><c>train --model shapes-classifier</c> and <c>evaluate --metrics fd_shapes,classifier_accuracy --classifier RUN</c>, tiny.</summary>
[Collection("Console")]
public class ClassifierCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-classifier-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // The evaluation set itself as PNG frame folders (lossless): generated clips identical to the real ones.
    private string WriteRealClipsAsFakes(int count, int frames, int size)
    {
        var fake = Path.Combine(dir, $"fake{frames}");
        var items = ShapesEvaluationSet.Create(count, frames, size, size, seed: 0);
        for (int i = 0; i < items.Count; i++) VideoWriter.WritePngFrames(items[i].Clip, Path.Combine(fake, $"{i}"));
        return fake;
    }

    [Fact]
    public async Task TrainThenScoreRealClipsAgainstThemselves()
    {
        var run = Path.Combine(dir, "classifier");
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "shapes-classifier", "--frames", "8", "--size", "32", "--steps", "3", "--batch", "4",
            "--lr", "1e-3", "--warmup", "0", "--preview-every", "3", "--out", run]));
        var preview = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "previews", "step_000003", "preview.json"))).RootElement;
        Assert.Equal(88, preview.GetProperty("clips").GetInt32());
        Assert.InRange(preview.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.Equal(11, preview.GetProperty("per_action").GetArrayLength());
        var config = File.ReadAllText(Path.Combine(run, "checkpoint", "config.json"));
        Assert.Contains("\"model_type\": \"shapes-classifier\"", config);
        Assert.Contains("\"base_channels\": 16", config);

        var fake = WriteRealClipsAsFakes(12, 8, 32);
        var json = Path.Combine(dir, "eval.json");
        Assert.Equal(0, await CliApp.RunAsync(["evaluate", "--fake", fake, "--real", "shapes", "--count", "12", "--frames", "8",
            "--metrics", "action,fd_shapes,classifier_accuracy", "--classifier", run, "--json", json]));
        var metrics = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("metrics");
        double Mean(string name) => metrics.GetProperty(name).GetProperty("mean").GetDouble();
        Assert.InRange(Mean("fd_shapes"), -1e-6, 1e-6);
        Assert.Equal(Mean("classifier_accuracy_real"), Mean("classifier_accuracy"));
        Assert.Equal(12, metrics.GetProperty("classifier_accuracy").GetProperty("n").GetInt32());
        Assert.Equal(1.0, Mean("action"));

        // A classifier trained on 8x32x32 cannot score 6-frame clips: a user error before any work.
        var shorter = WriteRealClipsAsFakes(2, 6, 32);
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--fake", shorter, "--frames", "6", "--metrics", "fd_shapes", "--classifier", run]));
    }

    // A missing --classifier is covered with the other weight options in EvaluateCliTests.
    [Theory]
    [InlineData("fd_shapes")]
    [InlineData("classifier_accuracy")]
    public async Task AClassifierFolderWithoutACheckpointExitsWithTwo(string metric)
    {
        var fake = Path.Combine(dir, "empty");
        Directory.CreateDirectory(fake);
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--fake", fake, "--metrics", metric, "--classifier", Path.Combine(dir, "no-run")]));
    }
}
