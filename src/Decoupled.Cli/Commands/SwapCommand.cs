using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Moso;
using Decoupled.Video;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled swap</c>: the objects and motion of one clip in the scene of another (MOSO, Figure 5).</summary>
public static class SwapCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "MOSO-VQVAE run folder (a MOSO-Transformer run works too: its VQ-VAE is used).", Required = true };
        var scene = new Option<string>("--scene") { Description = "Video (or frame folder) whose scene is kept.", Required = true };
        var objects = new Option<string>("--objects") { Description = "Video (or frame folder) whose objects and motion are moved into that scene.", Required = true };
        var size = new Option<int?>("--size") { Description = "Frame side (default and only accepted value: the model's)." };
        var frames = new Option<int?>("--frames") { Description = "Frames (default and only accepted value: the model's clip length)." };
        var output = new Option<string>("--out") { Description = "Output video (.gif or .mp4).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("swap", "Decode the objects and motion of one clip into the scene of another by exchanging MOSO-VQVAE token maps.")
            { checkpoint, scene, objects, size, frames, output, json };
        command.SetGuarded(parse =>
        {
            var run = parse.GetValue(checkpoint)!;
            var folder = CommonOptions.ResolveCheckpoint(run);
            var vqvae = CheckpointFolder.ReadModelType(folder) switch
            {
                MosoVqVaeTrainingConfig.Type => MosoVqVaeModel.Load(folder).VqVae,
                MosoTransformerConfig.Type => MosoTransformerModel.Load(folder).TrainingNetwork.VqVae,
                var other => throw new UserInputException($"--checkpoint {run}: holds a '{other}' model, not moso-vqvae or moso-transformer"),
            };
            var net = vqvae.Config;
            if (parse.GetValue(size) is { } s && s != net.Height) throw new UserInputException($"--size {s}: this model works at {net.Height}x{net.Width}");
            if (parse.GetValue(frames) is { } f && f != net.Frames) throw new UserInputException($"--frames {f}: this model encodes {net.Frames}-frame clips");
            var read = new VideoReadOptions { FrameCount = net.Frames, Size = new FrameSize(net.Width, net.Height) };
            var sceneClip = ReadClip(parse.GetValue(scene)!, read, net.Frames);
            var objectClip = ReadClip(parse.GetValue(objects)!, read, net.Frames);
            var swapped = MosoSwap.Swap(vqvae, sceneClip, objectClip);
            var outPath = parse.GetValue(output)!;
            VideoWriter.Write(swapped, outPath);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(outPath))}");
            CommonOptions.WriteJsonIfAsked(parse, json, new { output = Path.GetFullPath(outPath), scene = parse.GetValue(scene), objects = parse.GetValue(objects) });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static VideoClip ReadClip(string path, VideoReadOptions options, int frames)
    {
        var info = VideoReader.Probe(path);
        if (info.FrameCount < frames) throw new UserInputException($"{path}: has {info.FrameCount} frames; the model encodes {frames}");
        return VideoReader.Read(path, options);
    }
}
