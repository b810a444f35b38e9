using System.CommandLine;
using Decoupled.Generators.Diffusion;
using Decoupled.IO;
using Decoupled.Pipelines.Checkpoints;

namespace Decoupled.Cli.Infrastructure;

/// <summary>Options every verb shares.</summary>
public static class CommonOptions
{
    /// <summary>A fresh <c>--json FILE</c> option (System.CommandLine options belong to one command).</summary>
    public static Option<FileInfo?> Json() => new("--json") { Description = "Write the results (figures, paths, timings) to this JSON file." };

    /// <summary>A fresh <c>--seed</c> option.</summary>
    public static Option<int> Seed(int defaultValue = 0) => new("--seed") { Description = "Random seed, for exact reproducibility.", DefaultValueFactory = _ => defaultValue };

    /// <summary>A fresh <c>--sampler ddim|ddpm</c> option.</summary>
    public static Option<SamplerKind> Sampler(SamplerKind defaultValue, string description = "ddim or ddpm.") =>
        new("--sampler") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>The sampler's name as <c>--sampler</c> spells it (ddim, ddpm), for JSON and messages.</summary>
    public static string Name(this SamplerKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Writes <paramref name="result"/> to the <c>--json</c> file when one was given.</summary>
    public static void WriteJsonIfAsked<T>(ParseResult parse, Option<FileInfo?> json, T result)
    {
        var file = parse.GetValue(json);
        if (file is not null) JsonFile.Write(file.FullName, result);
    }

    /// <summary>
    /// The file of output <paramref name="index"/> of <paramref name="count"/>: <paramref name="output"/>
    /// itself for one, else <c>NAME_index.EXT</c> beside it.
    /// </summary>
    public static string NumberedOutput(string output, int index, int count) =>
        count == 1 ? output : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $"{Path.GetFileNameWithoutExtension(output)}_{index}{Path.GetExtension(output)}");

    /// <summary>
    /// The checkpoint folder a <c>--checkpoint RUN</c> names: <c>RUN/checkpoint</c> when RUN is a run
    /// folder, else RUN itself; a <see cref="UserInputException"/> when neither holds a checkpoint.
    /// </summary>
    public static string ResolveCheckpoint(string run, string option = "--checkpoint")
    {
        var folder = Directory.Exists(Path.Combine(run, "checkpoint")) ? Path.Combine(run, "checkpoint") : run;
        return CheckpointFolder.Exists(folder) ? folder : throw new UserInputException($"{option} {run}: no checkpoint there (expected config.json + model.safetensors)");
    }
}
