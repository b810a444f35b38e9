using System.Text.Json;
using Decoupled.Cli;
using Decoupled.Tests.Checkpoints;
using Decoupled.Tests.Metrics.Perceptual;
using Decoupled.Pipelines.Data;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Moso;

/// <summary>MOSO through the CLI: train the VQ-VAE, then the transformers on it, then predict, interpolate, generate and swap.</summary>
[Collection(TorchRngCollection.Name)]
public class MosoCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-moso-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task TheNonDecomposedAblationTrainsWithAWiderEncoderAndPredicts()
    {
        var vqvae = Path.Combine(dir, "nvq");
        var run = Path.Combine(dir, "ntr");
        string[] common = ["--steps", "1", "--warmup", "1", "--batch", "2", "--preview-every", "0"];
        string[] vq = ["train", "--model", "moso-vqvae", "--no-decompose", "--frames", "8", "--size", "32", "--width", "16", "--codebook-size", "32", "--code-dim", "8"];
        Assert.Equal(0, await CliApp.RunAsync([.. vq, "--encoder-width", "24", .. common, "--out", vqvae]));
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(vqvae, "checkpoint", "config.json"))).RootElement.GetProperty("net");
        Assert.Equal(24, config.GetProperty("motion_encoder_hidden").GetInt32());
        Assert.False(config.GetProperty("decomposed").GetBoolean());
        Assert.Equal(2, await CliApp.RunAsync([.. vq, "--encoder-width", "0", .. common, "--out", Path.Combine(dir, "bad-width")]));
        Assert.Equal(2, await CliApp.RunAsync([.. vq, "--encoder-width", "26", .. common, "--out", Path.Combine(dir, "bad-heads")]));

        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "moso-transformer", "--vqvae", vqvae, "--width", "16", "--heads", "2", "--layers", "1",
            "--motion-layers", "2", "--context", "2", .. common, "--out", run]));
        var predicted = Path.Combine(dir, "npredicted");
        Assert.Equal(0, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", "shapes", "--count", "2", "--iterations", "2", "--out", predicted]));
        var videos = Directory.GetFiles(predicted, "*.gif");
        Assert.Equal(2, videos.Length);
        Assert.All(videos, v => Assert.Equal(8, VideoReader.Read(v).Frames));
    }

    [Fact]
    public async Task ADecoderFinetunedAloneDecodesTheTransformersTokens()
    {
        var vqvae = Path.Combine(dir, "dvq");
        var tuned = Path.Combine(dir, "dvq-tuned");
        var other = Path.Combine(dir, "dvq-other");
        var run = Path.Combine(dir, "dtr");
        string[] common = ["--steps", "1", "--warmup", "1", "--batch", "2", "--preview-every", "0"];
        string[] vq = ["train", "--model", "moso-vqvae", "--frames", "8", "--size", "32", "--width", "16", "--codebook-size", "32", "--code-dim", "8", "--preprocess-steps", "0"];
        Assert.Equal(0, await CliApp.RunAsync([.. vq, .. common, "--out", vqvae]));
        Assert.Equal(0, await CliApp.RunAsync([.. vq, "--seed", "5", .. common, "--out", other]));
        // The architecture comes from the source run: a different --width is ignored.
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "moso-vqvae", "--finetune-decoder", vqvae, "--width", "32", .. common, "--out", tuned]));
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(tuned, "checkpoint", "config.json"))).RootElement;
        Assert.EndsWith(Path.Combine("dvq", "checkpoint"), config.GetProperty("decoder_finetuned_from").GetString());
        Assert.Equal(16, config.GetProperty("net").GetProperty("hidden").GetInt32());
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "moso-transformer", "--vqvae", vqvae, "--finetune-decoder", vqvae, .. common, "--out", Path.Combine(dir, "bad-tune")]));

        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "moso-transformer", "--vqvae", vqvae, "--width", "16", "--heads", "2", "--layers", "1",
            "--motion-layers", "1", "--context", "2", .. common, "--out", run]));
        var predicted = Path.Combine(dir, "dpredicted");
        var result = Path.Combine(dir, "dpredicted.json");
        Assert.Equal(0, await CliApp.RunAsync(["predict", "--checkpoint", run, "--decoder", tuned, "--input", "shapes", "--count", "1", "--iterations", "2",
            "--anchor", "copy-unchanged", "--seed", "3", "--out", predicted, "--json", result]));
        Assert.Equal(8, Directory.GetFiles(predicted, "frame_*.png").Length);
        var report = JsonDocument.Parse(File.ReadAllText(result)).RootElement;
        Assert.Equal(tuned, report.GetProperty("decoder").GetString());
        Assert.Equal("copy-unchanged", report.GetProperty("anchor").GetString());
        Assert.Equal(3, report.GetProperty("seed").GetInt32());
        // Exported with the tuned decoder, the transformer predicts exactly what --decoder does.
        var exported = Path.Combine(dir, "dexported");
        Assert.Equal(0, await CliApp.RunAsync(["export", "--checkpoint", run, "--decoder", tuned, "--out", exported]));
        Assert.Contains("\"decoder_finetuned_from\"", File.ReadAllText(Path.Combine(exported, "config.json")));
        var exportedResult = Path.Combine(dir, "dexported.json");
        Assert.Equal(0, await CliApp.RunAsync(["predict", "--checkpoint", exported, "--input", "shapes", "--count", "1", "--iterations", "2",
            "--anchor", "copy-unchanged", "--seed", "3", "--out", Path.Combine(dir, "dexported-predicted"), "--json", exportedResult]));
        Assert.Equal(report.GetProperty("mean").GetProperty("psnr").GetDouble(),
            JsonDocument.Parse(File.ReadAllText(exportedResult)).RootElement.GetProperty("mean").GetProperty("psnr").GetDouble());
        Assert.Equal(2, await CliApp.RunAsync(["export", "--checkpoint", vqvae, "--decoder", tuned, "--out", Path.Combine(dir, "bad-export")]));
        Assert.Equal(2, await CliApp.RunAsync(["predict", "--checkpoint", run, "--decoder", other, "--input", "shapes", "--count", "1", "--out", Path.Combine(dir, "bad-decoder")]));
        Assert.False(Directory.Exists(Path.Combine(dir, "bad-decoder")));
    }

    [Fact]
    public async Task TrainBothStagesThenPredictInterpolateGenerateAndSwap()
    {
        var vqvae = Path.Combine(dir, "vqvae");
        var run = Path.Combine(dir, "transformer");
        string[] common = ["--steps", "2", "--warmup", "1", "--batch", "2", "--preview-every", "2"];
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "moso-vqvae", "--frames", "8", "--size", "32", "--width", "16", "--codebook-size", "32",
            "--code-dim", "8", "--preprocess-steps", "1", "--disc-weight", "0.1", "--disc-start", "1", "--still-fraction", "0.5", .. common, "--out", vqvae]));
        Assert.True(File.Exists(Path.Combine(vqvae, "previews", "step_000002", "reconstructions.png")));
        var usage = File.ReadAllLines(Path.Combine(vqvae, "codebook.csv"));
        Assert.StartsWith("step,mse,commitment", usage[0]);
        Assert.True(usage.Length >= 3);
        var vqvaeConfig = File.ReadAllText(Path.Combine(vqvae, "checkpoint", "config.json"));
        Assert.Contains("\"model_type\": \"moso-vqvae\"", vqvaeConfig);
        Assert.Contains("\"still_fraction\": 0.5", vqvaeConfig);
        var reconstruction = Path.Combine(dir, "reconstruction.json");
        Assert.Equal(0, await CliApp.RunAsync(["evaluate", "--checkpoint", vqvae, "--real", "shapes", "--count", "3", "--json", reconstruction]));
        var psnr = JsonDocument.Parse(File.ReadAllText(reconstruction)).RootElement.GetProperty("metrics").GetProperty("psnr");
        Assert.Equal(3, psnr.GetProperty("n").GetInt32());
        Assert.True(psnr.GetProperty("mean").GetDouble() > 0);
        var stillTail = JsonDocument.Parse(File.ReadAllText(reconstruction)).RootElement.GetProperty("metrics").GetProperty("still_tail_psnr");
        Assert.Equal(3, stillTail.GetProperty("n").GetInt32());
        Assert.True(stillTail.GetProperty("mean").GetDouble() > 0);

        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "moso-transformer", "--vqvae", vqvae, "--width", "16", "--heads", "2", "--layers", "1",
            "--motion-layers", "1", "--context", "2", .. common, "--out", run]));
        Assert.True(File.Exists(Path.Combine(run, "previews", "step_000002", "predictions.png")));
        // Fine-tuning: a second run starts from the first one's transformers.
        var tuned = Path.Combine(dir, "tuned");
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "moso-transformer", "--vqvae", vqvae, "--init", run, "--width", "16", "--heads", "2", "--layers", "1",
            "--motion-layers", "1", "--context", "2", "--steps", "1", "--warmup", "1", "--batch", "2", "--preview-every", "0", "--out", tuned]));
        Assert.Contains("\"initialised_from\": ", File.ReadAllText(Path.Combine(tuned, "checkpoint", "config.json")));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "moso-transformer", "--vqvae", vqvae, "--init", run, "--width", "32", "--heads", "2", "--layers", "1",
            "--motion-layers", "1", .. common, "--out", Path.Combine(dir, "bad-init")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "moso-vqvae", "--init", run, .. common, "--out", Path.Combine(dir, "bad-init2")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "moso-vqvae", "--still-fraction", "1.5", .. common, "--out", Path.Combine(dir, "bad-still")]));

        var input = Path.Combine(dir, "input.gif");
        VideoWriter.Write(new ShapesClipSource(14, 32, 32, seed: 3, ShapesSplit.Test).Draw(0, 0).Clip, input);
        var predicted = Path.Combine(dir, "predicted.gif");
        var json = Path.Combine(dir, "predict.json");
        Assert.Equal(0, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", input, "--frames", "12", "--trials", "2", "--iterations", "2",
            "--so-iterations", "1", "--lpips", LpipsFixtures.AlexWeights, "--out", predicted, "--json", json]));
        Assert.Equal(14, VideoReader.Read(predicted).Frames);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(2, report.GetProperty("clips")[0].GetProperty("trial_psnr").GetArrayLength());
        var trialSsim = report.GetProperty("clips")[0].GetProperty("trial_ssim").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(2, trialSsim.Count);
        Assert.Equal(trialSsim.Max(), report.GetProperty("mean").GetProperty("best_ssim").GetDouble(), 12);
        var trialLpips = report.GetProperty("clips")[0].GetProperty("trial_lpips").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(2, trialLpips.Count);
        Assert.Equal(trialLpips.Min(), report.GetProperty("mean").GetProperty("best_lpips").GetDouble(), 12);
        Assert.True(report.GetProperty("mean").GetProperty("copy_last_lpips").GetDouble() > 0);
        Assert.Equal(2, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", input, "--lpips", Path.Combine(dir, "missing.safetensors"), "--out", predicted]));
        Assert.True(report.GetProperty("mean").GetProperty("psnr").GetDouble() > 0);
        Assert.True(report.GetProperty("mean").GetProperty("copy_last_psnr").GetDouble() > 0);
        // The shapes object moves, so the changed-region PSNR is defined for the clip and its mean.
        Assert.Equal(1, report.GetProperty("mean").GetProperty("clips_with_change").GetInt32());
        Assert.True(report.GetProperty("clips")[0].GetProperty("psnr_changed").GetDouble() > 0);
        Assert.True(report.GetProperty("mean").GetProperty("copy_last_psnr_changed").GetDouble() > 0);
        var many = Path.Combine(dir, "many");
        Assert.Equal(0, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", "shapes", "--count", "3", "--iterations", "1", "--so-iterations", "1",
            "--anchor", "unchanged", "--out", many, "--json", json]));
        var manyReport = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(3, manyReport.GetProperty("mean").GetProperty("clips").GetInt32());
        Assert.Equal("unchanged", manyReport.GetProperty("anchor").GetString());
        Assert.Equal(3, Directory.GetFiles(many, "*.gif").Length);

        // Real footage (people walking, fixed camera), cut into two windows of 2 + 8 frames and resized to the model's 32x32.
        var walking = Path.Combine(AppContext.BaseDirectory, "fixtures", "walking.mp4");
        var walkingOut = Path.Combine(dir, "walking");
        Assert.Equal(0, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", walking, "--windows", "2", "--frames", "8", "--iterations", "1", "--so-iterations", "1",
            "--anchor", "last-frame", "--scene-object", "given", "--temperature", "0", "--out", walkingOut, "--json", json]));
        var walkingReport = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(2, walkingReport.GetProperty("mean").GetProperty("clips").GetInt32());
        Assert.Equal("last-frame", walkingReport.GetProperty("anchor").GetString());
        var decoding = walkingReport.GetProperty("sampling");
        Assert.Equal("given", decoding.GetProperty("scene_object").GetString());
        Assert.Equal(0, decoding.GetProperty("temperature").GetDouble());
        Assert.Equal(1, decoding.GetProperty("iterations").GetInt32());
        Assert.Equal(10, VideoReader.Read(Path.Combine(walkingOut, "walking_001.gif")).Frames);

        var filled = Path.Combine(dir, "filled.gif");
        Assert.Equal(0, await CliApp.RunAsync(["interpolate", "--checkpoint", run, "--input", input, "--iterations", "2", "--out", filled]));
        Assert.Equal(8, VideoReader.Read(filled).Frames);

        var generated = Path.Combine(dir, "generated.gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--model", "moso", "--count", "2", "--iterations", "2", "--out", generated]));
        Assert.Equal(8, VideoReader.Read(Path.Combine(dir, "generated_1.gif")).Frames);

        var swapped = Path.Combine(dir, "swapped.gif");
        Assert.Equal(0, await CliApp.RunAsync(["swap", "--checkpoint", vqvae, "--scene", input, "--objects", predicted, "--out", swapped]));
        Assert.Equal(32, VideoReader.Read(swapped).Width);

        Assert.Equal(2, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", input, "--context", "3", "--out", predicted]));
        Assert.Equal(2, await CliApp.RunAsync(["predict", "--checkpoint", vqvae, "--input", input, "--out", predicted]));
        Assert.Equal(2, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", input, "--anchor", "first-frame", "--out", predicted]));
        Assert.Equal(2, await CliApp.RunAsync(["predict", "--checkpoint", run, "--input", input, "--scene-object", "oracle", "--out", predicted]));
        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--model", "moso", "--scene-object", "given", "--out", generated]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "moso-transformer", .. common, "--out", Path.Combine(dir, "bad")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "moso-vqvae", "--frames", "8", "--pool", "3", .. common, "--out", Path.Combine(dir, "bad2")]));
    }

    [Fact]
    public async Task BenchMosoReportsTokensFlopsAndSeconds()
    {
        var results = Path.Combine(dir, "bench");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "moso", "--frames", "4", "--size", "32", "--hidden", "8", "--width", "16", "--layers", "1",
            "--iterations", "2", "--so-iterations", "1", "--repeats", "1", "--out", results]));
        var models = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "moso.json"))).RootElement.GetProperty("models");
        Assert.Equal(["moso", "moso-nodecomp"], models.EnumerateArray().Select(m => m.GetProperty("model").GetString()));
        // 32x32: 8x8 scene and object grids, 4x4 motion grid over 4 frames.
        Assert.Equal([2 * 64 + 4 * 16, 4 * 16], models.EnumerateArray().Select(m => m.GetProperty("tokens_per_clip").GetInt32()));
        Assert.All(models.EnumerateArray(), m => Assert.True(m.GetProperty("seconds_per_clip").GetDouble() > 0));
        Assert.Contains("| moso-nodecomp |", File.ReadAllText(Path.Combine(results, "moso.md")));
    }
}
