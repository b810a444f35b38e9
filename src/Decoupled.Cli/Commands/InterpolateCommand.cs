using System.CommandLine;
using System.Diagnostics;
using Decoupled.Cli.Infrastructure;
using Decoupled.Metrics.Frame;
using Decoupled.Pipelines.Moso;
using Decoupled.Tensors;
using Decoupled.Video;
using Spectre.Console;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled interpolate</c>: MOSO fills the frames between the first K and the last E of a clip.</summary>
public static class InterpolateCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "MOSO-Transformer run folder (or its checkpoint/ folder).", Required = true };
        var input = new Option<string>("--input") { Description = "Video file or frame folder with at least the model's clip length of frames; its first K and last E frames (of that length) are given.", Required = true };
        var output = new Option<string>("--out") { Description = "Output video (.gif or .mp4).", Required = true };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var sampling = new MosoSamplingOptions();
        var command = new Command("interpolate", "Fill the frames between known ones with a MOSO-Transformer checkpoint (the first K and the last E frames of a clip of the model's length are kept), scored against the real middle frames.")
            { checkpoint, input, output, seed, json };
        foreach (var option in sampling.All) command.Options.Add(option);
        command.SetGuarded(parse =>
        {
            var model = sampling.Load(parse, parse.GetValue(checkpoint)!);
            var config = model.Config;
            var layout = config.Layout(MosoTask.Interpolation);
            int t = config.VqVae.Frames, s = config.VqVae.Height;
            var path = parse.GetValue(input)!;
            var info = VideoReader.Probe(path);
            if (info.FrameCount < t) throw new UserInputException($"{path}: has {info.FrameCount} frames; interpolation reads {t} (the model's clip length)");
            var clip = VideoReader.Read(path, new VideoReadOptions { FrameCount = t, Size = new FrameSize(s, s) });

            var watch = Stopwatch.StartNew();
            using var generator = new torch.Generator((ulong)parse.GetValue(seed));
            using var video = ClipTensor.ToBatch([clip]);
            var sampleOptions = sampling.From(parse);
            var filled = model.Sampler().Sample(layout, video, sampleOptions, generator)[0];
            double seconds = watch.Elapsed.TotalSeconds;
            var missing = Enumerable.Range(0, t).Where(i => !layout.Given[i]).ToList();
            var psnrPerFrame = Psnr.PerFrame(clip, filled);
            var ssimPerFrame = Ssim.PerFrame(clip, filled);
            double psnr = missing.Average(i => psnrPerFrame[i]), ssim = missing.Average(i => ssimPerFrame[i]);
            var outPath = parse.GetValue(output)!;
            VideoWriter.Write(filled, outPath);
            AnsiConsole.MarkupLine($"filled frames {missing[0]}..{missing[^1]} of {t} in {seconds:0.0} s; PSNR {psnr:0.00} dB, SSIM {ssim:0.000} against the real frames");
            CommonOptions.WriteJsonIfAsked(parse, json, new
            {
                model = config.ModelType, input = Path.GetFullPath(path), output = Path.GetFullPath(outPath),
                given = Enumerable.Range(0, t).Where(i => layout.Given[i]).ToList(), filled = missing, psnr, ssim, sampling = MosoSamplingOptions.Describe(sampleOptions), seconds,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
