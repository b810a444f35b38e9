using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Generators.MaskedTokens;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Moso;

namespace Decoupled.Cli.Commands;

/// <summary>The decoding options the MOSO verbs share (<c>predict</c>, <c>interpolate</c>, <c>generate --model moso</c>).</summary>
internal sealed class MosoSamplingOptions
{
    private readonly bool ownsNoEma;

    /// <summary>The options; <paramref name="noEma"/> reuses a verb's existing <c>--no-ema</c>.</summary>
    public MosoSamplingOptions(Option<bool>? noEma = null)
    {
        ownsNoEma = noEma is null;
        NoEma = noEma ?? new Option<bool>("--no-ema") { Description = "Use the raw weights instead of their EMA." };
    }

    public Option<int> Iterations { get; } = new("--iterations") { Description = "MaskGIT iterations for the motion tokens (the paper: 16).", DefaultValueFactory = _ => 16 };
    public Option<int> SceneObjectIterations { get; } = new("--so-iterations") { Description = "Iterations for the scene and object tokens (1: sample them all at once, as the paper does).", DefaultValueFactory = _ => 8 };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Sampling temperature on the token logits (0: argmax).", DefaultValueFactory = _ => 1.0 };
    public Option<bool> NoEma { get; }

    public IEnumerable<Option> All => ownsNoEma ? [Iterations, SceneObjectIterations, Temperature, NoEma] : [Iterations, SceneObjectIterations, Temperature];

    /// <summary>The decoding options given on the command line.</summary>
    public MosoSampleOptions From(ParseResult parse)
    {
        int iterations = parse.GetValue(Iterations), so = parse.GetValue(SceneObjectIterations);
        double temperature = parse.GetValue(Temperature);
        if (iterations < 1 || so < 1) throw new UserInputException($"--iterations and --so-iterations must be at least 1, got {iterations} and {so}");
        if (!(temperature >= 0) || double.IsInfinity(temperature)) throw new UserInputException($"--temperature must be a finite number >= 0, got {temperature}");
        return new MosoSampleOptions(new MaskGitOptions(Iterations: so, Temperature: temperature), new MaskGitOptions(Iterations: iterations, Temperature: temperature));
    }

    /// <summary>The MOSO-Transformer of <c>--checkpoint</c>; a user error when the folder holds another model.</summary>
    public MosoTransformerModel Load(ParseResult parse, string run)
    {
        var folder = CommonOptions.ResolveCheckpoint(run);
        var type = CheckpointFolder.ReadModelType(folder);
        if (type != MosoTransformerConfig.Type)
            throw new UserInputException($"--checkpoint {run}: holds a '{type}' model, not a moso-transformer (train one with train --model moso-transformer --vqvae RUN)");
        return MosoTransformerModel.Load(folder, preferEma: !parse.GetValue(NoEma));
    }
}
