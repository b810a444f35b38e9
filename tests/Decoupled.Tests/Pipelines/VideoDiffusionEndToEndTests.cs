using System.Text.Json;
using Decoupled.Cli;
using Decoupled.Tests.Checkpoints;
using Decoupled.Video;

namespace Decoupled.Tests.Pipelines;

/// <summary>From synthetic data to a written video, through the CLI, for each model: train a few steps, resume, generate.</summary>
[Collection(TorchRngCollection.Name)]
public class VideoDiffusionEndToEndTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-vdm-").FullName;

    /// <summary>A one-step D-VDM on 3x16x16 clips; append the options under test and <c>--out</c>.</summary>
    private static readonly string[] TinyDVdm = ["train", "--model", "d-vdm", "--frames", "3", "--size", "16", "--batch", "2", "--width", "8",
        "--mults", "1,2", "--steps", "1", "--warmup", "1", "--preview-every", "0"];

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Writes a random 16x16 first frame as <c>{name}.png</c>, then generates a 2-step "grow" clip from it into <c>{name}.gif</c>.</summary>
    private async Task<(VideoClip Frame, VideoClip Video)> GenerateFromRandomImage(string run, string name, int seed)
    {
        var first = Path.Combine(dir, name + ".png");
        var frame = new VideoClip(1, 16, 16);
        new Random(seed).NextBytes(frame.Pixels);
        VideoWriter.WritePng(frame, 0, first);
        var gif = Path.Combine(dir, name + ".gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--label", "grow", "--steps", "2", "--out", gif]));
        return (frame, VideoReader.Read(gif));
    }

    [Theory]
    [InlineData("vdm")]
    [InlineData("d-vdm")]
    public async Task TrainResumeAndGenerateWriteAVideo(string model)
    {
        var run = Path.Combine(dir, "run");
        string[] train = ["train", "--model", model, "--frames", "4", "--size", "16", "--batch", "2", "--width", "8", "--mults", "1,2",
            "--checkpoint-every", "2", "--preview-every", "0", "--warmup", "1", "--out", run];
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--steps", "2"]));
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--steps", "4", "--resume", "--json", Path.Combine(dir, "train.json")]));
        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "train.json"))).RootElement.GetProperty("result");
        Assert.Equal(4, result.GetProperty("step").GetInt64());
        Assert.Equal(2, result.GetProperty("steps_this_session").GetInt64());
        Assert.True(File.Exists(Path.Combine(run, "loss.png")));

        var first = Path.Combine(dir, "first.png");
        var frame = new VideoClip(1, 16, 16);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
            {
                frame[0, y, x, 0] = (byte)(x * 16);
                frame[0, y, x, 1] = (byte)(y * 16);
                frame[0, y, x, 2] = 128;
            }
        VideoWriter.WritePng(frame, 0, first);
        var gif = Path.Combine(dir, "out.gif");
        var json = Path.Combine(dir, "generate.json");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--label", "move_left", "--steps", "3", "--out", gif, "--json", json]));
        var video = VideoReader.Read(gif);
        Assert.Equal(4, video.Frames);
        Assert.Equal(16, video.Width);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.True(report.GetProperty("action_accuracy").ValueKind == JsonValueKind.Number);
        if (model == "d-vdm")
        {
            // D-VDM rebuilds the clip from the given first frame: frame 0 is the image itself (up to GIF palette error).
            Assert.True(Decoupled.Metrics.Frame.Psnr.Frame(frame.Frame(0), video.Frame(0)) > 25);
        }
        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--label", "fly", "--out", gif]));
        // Only the sequential decoders (D-VDM, ED-VDM) have a dead zone.
        Assert.Equal(model == "vdm" ? 2 : 0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--label", "move_left", "--steps", "2",
            "--dead-zone", "0.5", "--out", Path.Combine(dir, "dead-zone.gif")]));

        // An inference-only export (EMA weights as the model, no optimizer state) generates the same video.
        var exported = Path.Combine(dir, "exported");
        Assert.Equal(0, await CliApp.RunAsync(["export", "--checkpoint", run, "--out", exported]));
        Assert.False(File.Exists(Path.Combine(exported, "training_state.safetensors")));
        var gifExported = Path.Combine(dir, "exported.gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", exported, "--image", first, "--label", "move_left", "--steps", "3", "--out", gifExported]));
        Assert.Equal(File.ReadAllBytes(gif), File.ReadAllBytes(gifExported));
        // Half precision: half the bytes, the same weights to fp16 rounding, and it still generates.
        var half = Path.Combine(dir, "exported-fp16");
        Assert.Equal(0, await CliApp.RunAsync(["export", "--checkpoint", run, "--out", half, "--precision", "fp16"]));
        long fullBytes = new FileInfo(Path.Combine(exported, "model.safetensors")).Length, halfBytes = new FileInfo(Path.Combine(half, "model.safetensors")).Length;
        Assert.InRange(halfBytes, fullBytes * 0.45, fullBytes * 0.6);
        using (var full = Decoupled.IO.Safetensors.SafetensorsTorch.Load(Path.Combine(exported, "model.safetensors")).First().Value)
        using (var rounded = Decoupled.IO.Safetensors.SafetensorsTorch.Load(Path.Combine(half, "model.safetensors")).First().Value)
        {
            Assert.Equal(TorchSharp.torch.ScalarType.Float16, rounded.dtype);
            Assert.True(full.allclose(rounded.to(TorchSharp.torch.ScalarType.Float32), rtol: 1e-3, atol: 1e-4));
        }
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", half, "--image", first, "--label", "move_left", "--steps", "2", "--out", Path.Combine(dir, "fp16.gif")]));
        Assert.Equal(2, await CliApp.RunAsync(["export", "--checkpoint", run, "--out", Path.Combine(dir, "int8"), "--precision", "int8"]));

        // Held-out evaluation: every asked metric comes back with n = the clip count.
        var evaluation = Path.Combine(dir, "evaluate.json");
        Assert.Equal(0, await CliApp.RunAsync(["evaluate", "--checkpoint", run, "--count", "3", "--batch", "2", "--steps", "2", "--json", evaluation,
            "--markdown", Path.Combine(dir, "evaluate.md"), "--videos", Path.Combine(dir, "videos")]));
        var metrics = JsonDocument.Parse(File.ReadAllText(evaluation)).RootElement.GetProperty("metrics");
        foreach (var name in new[] { "action", "action_real", "psnr", "ssim", "first_frame_psnr" })
            Assert.Equal(3, metrics.GetProperty(name).GetProperty("n").GetInt32());
        Assert.Equal(1.0, metrics.GetProperty("action_real").GetProperty("mean").GetDouble());
        // Each action's confusion row accounts for all of its clips, and its own count is the correct one.
        foreach (var row in JsonDocument.Parse(File.ReadAllText(evaluation)).RootElement.GetProperty("per_action").EnumerateArray())
        {
            var predicted = row.GetProperty("predicted").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(row.GetProperty("clips").GetInt32(), predicted.Values.Sum());
            Assert.Equal(row.GetProperty("correct").GetInt32(), predicted.GetValueOrDefault(row.GetProperty("action").GetString()!));
        }
        Assert.True(File.Exists(Path.Combine(dir, "videos", "contact_sheet.png")));
        Assert.Contains("| action |", File.ReadAllText(Path.Combine(dir, "evaluate.md")));
        Assert.Equal(2, await CliApp.RunAsync(["evaluate", "--checkpoint", run, "--metrics", "action,fvd"]));
    }

    [Fact]
    public async Task MinSnrWeightingIsStoredInTheConfigAndBadValuesAreRejected()
    {
        var run = Path.Combine(dir, "min-snr");
        string[] train = ["train", "--model", "d-vdm", "--frames", "3", "--size", "16", "--batch", "2", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--warmup", "1", "--preview-every", "0", "--out", run];
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--loss-weighting", "min-snr", "--snr-gamma", "3"]));
        var config = Decoupled.Pipelines.Checkpoints.CheckpointFolder.LoadConfig<Decoupled.Pipelines.VideoDiffusion.VideoDiffusionConfig>(
            Path.Combine(run, "checkpoint"), "d-vdm");
        Assert.Equal(Decoupled.Generators.Diffusion.LossWeighting.MinSnr(3), config.Weighting);
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--loss-weighting", "snr"]));
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--loss-weighting", "min-snr", "--snr-gamma", "0"]));
    }

    [Fact]
    public async Task CosineDecayFromTheCommandLineReachesTheMinimumAtTheLastStep()
    {
        var run = Path.Combine(dir, "cosine");
        string[] train = ["train", "--model", "d-vdm", "--frames", "3", "--size", "16", "--batch", "2", "--width", "8", "--mults", "1,2",
            "--steps", "21", "--warmup", "1", "--lr", "0.01", "--preview-every", "0", "--checkpoint-every", "0"];
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--lr-decay", "cosine", "--min-lr", "0.001", "--out", run]));
        var rates = File.ReadLines(Path.Combine(run, "log.csv")).Skip(1)
            .Select(line => line.Split(',')).ToDictionary(f => long.Parse(f[0]), f => double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture));
        // Step s runs at the rate of 0-based index s - 1: half a cosine over indices 1..20 after one warm-up step.
        Assert.Equal(0.001 + 0.5 * (0.01 - 0.001) * (1 + Math.Cos(Math.PI * 8 / 19)), rates[10], 1e-9);
        Assert.Equal(0.001, rates[21], 1e-12);
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--lr-decay", "cosine", "--min-lr", "0.1", "--out", Path.Combine(dir, "cosine-bad")]));
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--lr-decay", "linear", "--out", Path.Combine(dir, "cosine-bad2")]));
    }

    [Fact]
    public async Task FramePositionsAreOnByDefaultAndCanBeLeftOut()
    {
        foreach (var (name, extra, expected) in new[] { ("with", Array.Empty<string>(), true), ("without", ["--no-frame-positions"], false) })
        {
            var run = Path.Combine(dir, "positions-" + name);
            Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "d-vdm", "--frames", "3", "--size", "16", "--batch", "2", "--width", "8",
                "--mults", "1,2", "--steps", "1", "--warmup", "1", "--preview-every", "0", "--out", run, .. extra]));
            var config = Decoupled.Pipelines.Checkpoints.CheckpointFolder.LoadConfig<Decoupled.Pipelines.VideoDiffusion.VideoDiffusionConfig>(
                Path.Combine(run, "checkpoint"), "d-vdm");
            Assert.Equal(expected, config.UNet.FramePositions);
            using var weights = Decoupled.IO.Safetensors.SafetensorsFile.Open(Path.Combine(run, "checkpoint", "model.safetensors"));
            Assert.Equal(expected, weights.Tensors.Any(t => t.Name == "unet.frame_position.table"));
        }
    }

    [Fact]
    public async Task APatchedDVdmTrainsAndGeneratesFromTheGivenImage()
    {
        var run = Path.Combine(dir, "patched");
        var train = TinyDVdm;
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--patch", "2", "--out", run]));
        var config = Decoupled.Pipelines.Checkpoints.CheckpointFolder.LoadConfig<Decoupled.Pipelines.VideoDiffusion.VideoDiffusionConfig>(
            Path.Combine(run, "checkpoint"), "d-vdm");
        Assert.Equal(2, config.UNet.PatchSize);
        using (var weights = Decoupled.IO.Safetensors.SafetensorsFile.Open(Path.Combine(run, "checkpoint", "model.safetensors")))
        {
            // conv_in reads 3 x 2 x 2 folded pixels plus tau's 16 channels; conv_out writes 3 x 2 x 2.
            Assert.Equal(3 * 4 + 16, weights.Tensors.Single(t => t.Name == "unet.conv_in.weight").Shape[1]);
            Assert.Equal(3 * 4, weights.Tensors.Single(t => t.Name == "unet.conv_out.weight").Shape[0]);
        }

        var (_, video) = await GenerateFromRandomImage(run, "patched", seed: 6);
        Assert.Equal(3, video.Frames);

        // A patch that does not divide the size through the levels, a zero patch, and a model without a U-Net are refused.
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--patch", "3", "--out", Path.Combine(dir, "patched-bad")]));
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--patch", "0", "--out", Path.Combine(dir, "patched-zero")]));
        Assert.Equal(2, await CliApp.RunAsync([.. train.Select(a => a == "d-vdm" ? "moso-vqvae" : a), "--patch", "2", "--out", Path.Combine(dir, "patched-moso")]));
        Assert.False(Directory.Exists(Path.Combine(dir, "patched-bad", "checkpoint")));
    }

    [Fact]
    public async Task VdmWithoutAFirstFrameGeneratesFromTheLabelAlone()
    {
        var run = Path.Combine(dir, "no-first-frame");
        string[] train = ["train", "--frames", "3", "--size", "16", "--batch", "2", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--warmup", "1", "--preview-every", "0", "--no-first-frame"];
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--model", "vdm", "--out", run]));
        var checkpoint = Path.Combine(run, "checkpoint");
        var config = Decoupled.Pipelines.Checkpoints.CheckpointFolder.LoadConfig<Decoupled.Pipelines.VideoDiffusion.VideoDiffusionConfig>(checkpoint, "vdm");
        Assert.False(config.UsesFirstFrame());
        using (var weights = Decoupled.IO.Safetensors.SafetensorsFile.Open(Path.Combine(checkpoint, "model.safetensors")))
            Assert.DoesNotContain(weights.Tensors, t => t.Name.StartsWith("unet.first_frame.", StringComparison.Ordinal));

        // The frames handed to the image-to-video overload give only the count: two different ones sample the same clip.
        var model = Decoupled.Pipelines.VideoDiffusion.VideoDiffusionModel.Load(checkpoint);
        var dark = new VideoClip(1, 16, 16);
        var bright = new VideoClip(1, 16, 16);
        Array.Fill(bright.Pixels, (byte)250);
        var fromLabel = model.Sample(1, [2], steps: 2, seed: 3)[0];
        Assert.Equal(3, fromLabel.Frames);
        Assert.Equal(fromLabel.Pixels, model.Sample([dark], [2], steps: 2, seed: 3)[0].Pixels);
        Assert.Equal(fromLabel.Pixels, model.Sample([bright], [2], steps: 2, seed: 3)[0].Pixels);
        Assert.NotEqual(fromLabel.Pixels, model.Sample(1, [2], steps: 2, seed: 4)[0].Pixels);

        var gif = Path.Combine(dir, "no-first-frame.gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--label", "grow", "--steps", "2", "--out", gif]));
        Assert.Equal(3, VideoReader.Read(gif).Frames);
        var image = Path.Combine(dir, "unused.png");
        VideoWriter.WritePng(dark, 0, image);
        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", image, "--label", "grow", "--steps", "2", "--out", gif]));
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--model", "d-vdm", "--out", Path.Combine(dir, "d-vdm-no-first")]));
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--model", "videofusion", "--out", Path.Combine(dir, "vf-no-first")]));

        // An image-to-video model refuses the label-only overload.
        Assert.Equal(0, await CliApp.RunAsync([.. train.SkipLast(1), "--model", "vdm", "--out", Path.Combine(dir, "with-first")]));
        var withFirst = Decoupled.Pipelines.VideoDiffusion.VideoDiffusionModel.Load(Path.Combine(dir, "with-first", "checkpoint"));
        Assert.Throws<UserInputException>(() => withFirst.Sample(1, [2], steps: 2));
    }

    [Fact]
    public async Task DifferencesToTheFirstFrameTrainAndGenerateFromTheGivenImage()
    {
        var run = Path.Combine(dir, "first-differences");
        var train = TinyDVdm;
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--differences", "first", "--out", run]));
        var config = Decoupled.Pipelines.Checkpoints.CheckpointFolder.LoadConfig<Decoupled.Pipelines.VideoDiffusion.VideoDiffusionConfig>(
            Path.Combine(run, "checkpoint"), "d-vdm");
        Assert.Equal("first-frame-differences", config.TargetSpace);

        var (frame, video) = await GenerateFromRandomImage(run, "first-differences", seed: 5);
        Assert.Equal(3, video.Frames);
        Assert.True(Decoupled.Metrics.Frame.Psnr.Frame(frame.Frame(0), video.Frame(0)) > 25);

        Assert.Equal(2, await CliApp.RunAsync([.. train, "--differences", "second", "--out", Path.Combine(dir, "bad-reference")]));
        Assert.Equal(2, await CliApp.RunAsync([.. train.Select(a => a == "d-vdm" ? "vdm" : a), "--differences", "first", "--out", Path.Combine(dir, "vdm-reference")]));
    }

    [Fact]
    public async Task CaptionConditionedModelTrainsItsTextEncoderAndGenerates()
    {
        var run = Path.Combine(dir, "text-run");
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "d-vdm", "--condition", "text", "--frames", "3", "--size", "16", "--batch", "2",
            "--width", "8", "--mults", "1,2", "--steps", "2", "--warmup", "1", "--preview-every", "0", "--out", run]));
        var weights = Decoupled.IO.Safetensors.SafetensorsFile.Open(Path.Combine(run, "checkpoint", "model.safetensors"));
        Assert.Contains(weights.Tensors, t => t.Name.StartsWith("text_encoder.", StringComparison.Ordinal));
        weights.Dispose();

        var first = Path.Combine(dir, "first.png");
        VideoWriter.WritePng(new VideoClip(1, 16, 16), 0, first);
        var gif = Path.Combine(dir, "text.gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--text", "red square moves left", "--steps", "2", "--out", gif]));
        Assert.Equal(3, VideoReader.Read(gif).Frames);
        Assert.Equal(2, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--label", "0", "--out", gif]));
    }
}
