using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Moso;
using Spectre.Console;

namespace Decoupled.Cli.Commands;

/// <summary><c>decoupled export</c>: an inference-only copy of a checkpoint (config + EMA weights, no optimizer state).</summary>
public static class ExportCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run folder (or its checkpoint/ folder).", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder to write config.json + model.safetensors to.", Required = true };
        var noEma = new Option<bool>("--no-ema") { Description = "Export the raw weights instead of their EMA." };
        var decoder = new Option<string?>("--decoder") { Description = "moso-transformer: export it with the decoder of this moso-vqvae run (trained with --finetune-decoder from the transformer's VQ-VAE), as predict --decoder decodes." };
        var precision = new Option<string>("--precision") { Description = "Weights as fp32 (exact), fp16 or bf16 (half the size; loaded back as fp32).", DefaultValueFactory = _ => "fp32" };
        var command = new Command("export", "Write an inference-only checkpoint (config and EMA weights, a third of the size) that generate, evaluate and demo load.")
            { checkpoint, outDir, noEma, precision, decoder };
        command.SetGuarded(parse =>
        {
            var run = parse.GetValue(checkpoint)!;
            var folder = CommonOptions.ResolveCheckpoint(run);
            var destination = parse.GetValue(outDir)!.FullName;
            var floatType = parse.GetValue(precision)!.ToLowerInvariant() switch
            {
                "fp32" or "float32" => TorchSharp.torch.ScalarType.Float32,
                "fp16" or "float16" => TorchSharp.torch.ScalarType.Float16,
                "bf16" or "bfloat16" => TorchSharp.torch.ScalarType.BFloat16,
                var other => throw new UserInputException($"--precision must be fp32, fp16 or bf16, got '{other}'"),
            };
            if (parse.GetValue(decoder) is { } decoderRun)
            {
                var type = CheckpointFolder.ReadModelType(folder);
                if (type != MosoTransformerConfig.Type)
                    throw new UserInputException($"--decoder applies to moso-transformer checkpoints only ({run} holds a '{type}')");
                MosoDecoderReplacement.Export(folder, CommonOptions.ResolveCheckpoint(decoderRun, "--decoder"), destination, useEma: !parse.GetValue(noEma), floatType);
            }
            else CheckpointFolder.ExportForInference(folder, destination, useEma: !parse.GetValue(noEma), floatType);
            AnsiConsole.MarkupLine($"exported [green]{Markup.Escape(destination)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
