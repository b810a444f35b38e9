using System.Text.Json;
using Decoupled.Cli;
using Decoupled.Tests.Checkpoints;
using Decoupled.Video;

namespace Decoupled.Tests.EdVdm;

/// <summary>From synthetic clips to a written video through the CLI: residual autoencoder, its reconstruction report, ED-VDM, generation.</summary>
[Collection(TorchRngCollection.Name)]
public class EdVdmEndToEndTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("decoupled-edvdm-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task AutoencoderThenEdVdmTrainAndGenerateAVideo()
    {
        var vaeRun = Path.Combine(dir, "vae");
        Assert.Equal(0, await CliApp.RunAsync(["train", "--model", "ed-vdm-vae", "--frames", "6", "--size", "16", "--block", "4", "--search-range", "4",
            "--latent-channels", "4", "--width", "8", "--batch", "2", "--steps", "2", "--warmup", "1", "--preview-every", "2", "--vector-cost", "4", "--out", vaeRun]));
        Assert.True(File.Exists(Path.Combine(vaeRun, "previews", "step_000002", "reconstructions.png")));

        var report = Path.Combine(dir, "reconstruction.json");
        Assert.Equal(0, await CliApp.RunAsync(["evaluate", "--checkpoint", vaeRun, "--count", "2", "--json", report]));
        var metrics = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("metrics");
        foreach (var name in new[] { "autoencoder_psnr", "autoencoder_ssim", "autoencoder_action", "dct_psnr", "dct_ssim", "dct_action" })
            Assert.Equal(2, metrics.GetProperty(name).GetProperty("n").GetInt32());

        var run = Path.Combine(dir, "ed-vdm");
        string[] train = ["train", "--model", "ed-vdm", "--vae", vaeRun, "--frames", "6", "--size", "16", "--width", "8", "--mults", "1,2",
            "--batch", "2", "--warmup", "1", "--preview-every", "0", "--checkpoint-every", "2", "--cache-clips", "3", "--vector-loss-weight", "4", "--active-block-weight", "3", "--out", run];
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--steps", "2"]));
        // The encoded clips stay in the run folder; resuming reads them instead of encoding again.
        var cacheFile = Path.Combine(run, "target_cache.safetensors");
        var written = File.GetLastWriteTimeUtc(cacheFile);
        Assert.Equal(0, await CliApp.RunAsync([.. train, "--steps", "3", "--resume"]));
        Assert.Equal(written, File.GetLastWriteTimeUtc(cacheFile));
        Assert.Equal(2, await CliApp.RunAsync([.. train, "--steps", "4", "--resume", "--cache-clips", "-1"]));
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "checkpoint", "config.json"))).RootElement;
        Assert.Equal("motion-residuals", config.GetProperty("target_space").GetString());
        Assert.Equal(6, config.GetProperty("u_net").GetProperty("in_channels").GetInt32());   // 2 vector + 4 latent channels
        Assert.Equal(4, config.GetProperty("vector_cost").GetInt32());   // the codec of the autoencoder's run
        Assert.Equal(4.0, config.GetProperty("vector_loss_weight").GetDouble());
        Assert.Equal(3.0, config.GetProperty("active_block_loss_weight").GetDouble());
        Assert.Equal(0.5, config.GetProperty("active_block_threshold").GetDouble());
        Assert.True(config.GetProperty("u_net").GetProperty("frame_positions").GetBoolean());
        // Shapes vectors are mostly zero: the unit-variance factor is well above 1.
        Assert.True(config.GetProperty("vector_scale").GetDouble() > 2, config.GetProperty("vector_scale").ToString());
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "ed-vdm", "--vae", vaeRun, "--frames", "6", "--size", "16", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--vector-scale", "0", "--out", Path.Combine(dir, "bad-scale")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "ed-vdm", "--vae", vaeRun, "--frames", "6", "--size", "16", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--vector-loss-weight", "-1", "--out", Path.Combine(dir, "bad-weight")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "d-vdm", "--frames", "6", "--size", "16", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--vector-loss-weight", "2", "--out", Path.Combine(dir, "weight-for-d-vdm")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "d-vdm", "--frames", "6", "--size", "16", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--active-block-weight", "2", "--out", Path.Combine(dir, "active-weight-for-d-vdm")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "ed-vdm", "--vae", vaeRun, "--frames", "6", "--size", "16", "--width", "8", "--mults", "1,2",
            "--steps", "1", "--active-block-threshold", "-1", "--out", Path.Combine(dir, "bad-threshold")]));

        var first = Path.Combine(dir, "first.png");
        var frame = new VideoClip(1, 16, 16);
        new Random(3).NextBytes(frame.Pixels);
        VideoWriter.WritePng(frame, 0, first);
        var gif = Path.Combine(dir, "out.gif");
        Assert.Equal(0, await CliApp.RunAsync(["generate", "--checkpoint", run, "--image", first, "--label", "move_up", "--steps", "2", "--dead-zone", "0.5", "--out", gif]));
        var video = VideoReader.Read(gif);
        Assert.Equal(6, video.Frames);
        Assert.Equal(16, video.Height);

        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "ed-vdm", "--frames", "6", "--size", "16", "--out", Path.Combine(dir, "no-vae")]));
        Assert.Equal(2, await CliApp.RunAsync(["train", "--model", "ed-vdm-vae", "--size", "20", "--block", "8", "--out", Path.Combine(dir, "bad-size")]));
    }
}
