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
    private readonly bool conditional;

    /// <summary>
    /// The options; <paramref name="noEma"/> reuses a verb's existing <c>--no-ema</c>;
    /// <paramref name="conditional"/> (frames are given) offers <c>--scene-object</c>.
    /// </summary>
    public MosoSamplingOptions(Option<bool>? noEma = null, bool conditional = true)
    {
        ownsNoEma = noEma is null;
        this.conditional = conditional;
        NoEma = noEma ?? new Option<bool>("--no-ema") { Description = "Use the raw weights instead of their EMA." };
    }

    public Option<int> Iterations { get; } = new("--iterations") { Description = "MaskGIT iterations for the motion tokens (the paper: 16).", DefaultValueFactory = _ => 16 };
    public Option<int> SceneObjectIterations { get; } = new("--so-iterations") { Description = "Iterations for the scene and object tokens (1: sample them all at once, as the paper does).", DefaultValueFactory = _ => 8 };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Sampling temperature on the token logits (0: argmax).", DefaultValueFactory = _ => 1.0 };
    public Option<string> SceneObject { get; } = new Option<string>("--scene-object") { Description = "Where the scene and object tokens come from: predicted (the paper: TransformerSO, from the given frames' tokens) or given (the given frames' own tokens, TransformerSO skipped; an ablation).", DefaultValueFactory = _ => "predicted" }.AcceptOnlyFromAmong("predicted", "given");
    public Option<bool> NoEma { get; }
    public Option<string?> Decoder { get; } = new("--decoder") { Description = "A moso-vqvae run trained with --finetune-decoder from the transformer's VQ-VAE: decode with its decoder (same tokens, sharper frames)." };

    public IEnumerable<Option> All
    {
        get
        {
            List<Option> all = [Iterations, SceneObjectIterations, Temperature, Decoder];
            if (conditional) all.Add(SceneObject);
            if (ownsNoEma) all.Add(NoEma);
            return all;
        }
    }

    /// <summary>The decoding options given on the command line.</summary>
    public MosoSampleOptions From(ParseResult parse)
    {
        int iterations = parse.GetValue(Iterations), so = parse.GetValue(SceneObjectIterations);
        double temperature = parse.GetValue(Temperature);
        if (iterations < 1 || so < 1) throw new UserInputException($"--iterations and --so-iterations must be at least 1, got {iterations} and {so}");
        if (!(temperature >= 0) || double.IsInfinity(temperature)) throw new UserInputException($"--temperature must be a finite number >= 0, got {temperature}");
        var source = conditional && parse.GetValue(SceneObject) == "given" ? MosoSceneObjectSource.Given : MosoSceneObjectSource.Predicted;
        return new MosoSampleOptions(new MaskGitOptions(Iterations: so, Temperature: temperature), new MaskGitOptions(Iterations: iterations, Temperature: temperature), source);
    }

    /// <summary>The decoding options as a JSON object, so a result file says how it was decoded.</summary>
    public static object Describe(MosoSampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new
        {
            iterations = options.Motion.Iterations, so_iterations = options.SceneObject.Iterations, temperature = options.Motion.Temperature,
            scene_object = options.SceneObjectSource == MosoSceneObjectSource.Given ? "given" : "predicted",
        };
    }

    /// <summary>The MOSO-Transformer of <c>--checkpoint</c>; a user error when the folder holds another model.</summary>
    public MosoTransformerModel Load(ParseResult parse, string run)
    {
        var folder = CommonOptions.ResolveCheckpoint(run);
        var type = CheckpointFolder.ReadModelType(folder);
        if (type != MosoTransformerConfig.Type)
            throw new UserInputException($"--checkpoint {run}: holds a '{type}' model, not a moso-transformer (train one with train --model moso-transformer --vqvae RUN)");
        var model = MosoTransformerModel.Load(folder, preferEma: !parse.GetValue(NoEma));
        if (parse.GetValue(Decoder) is { } decoderRun)
            MosoDecoderReplacement.Apply(model.TrainingNetwork.VqVae, CommonOptions.ResolveCheckpoint(decoderRun, "--decoder"), preferEma: !parse.GetValue(NoEma));
        return model;
    }
}
