using System.Diagnostics;
using System.Globalization;
using System.Text;
using Decoupled.IO;
using Decoupled.Generators.MaskedTokens;
using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Moso;
using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Bench;

/// <summary>Settings of <see cref="MosoBenchmark"/>.</summary>
public sealed record MosoBenchmarkOptions
{
    /// <summary>Frames per clip T (given + predicted).</summary>
    public int Frames { get; init; } = 10;

    /// <summary>Frame side.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Given frames K.</summary>
    public int Context { get; init; } = 2;

    /// <summary>VQ-VAE hidden channels.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Transformer width (the same for both models).</summary>
    public int Width { get; init; } = 128;

    /// <summary>Blocks of TransformerSO/G and of TransformerM.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Motion-token iterations (the paper: 16).</summary>
    public int Iterations { get; init; } = 16;

    /// <summary>Scene/object iterations.</summary>
    public int SceneObjectIterations { get; init; } = 8;

    /// <summary>Timed predictions per model (after one warm-up).</summary>
    public int Repeats { get; init; } = 3;
}

/// <summary>One model's row.</summary>
/// <param name="Model">moso or moso-nodecomp (the paper's non-decomposed ablation).</param>
/// <param name="TokensPerClip">Scene + object + motion tokens (or frame tokens) of one clip.</param>
/// <param name="TransformerParameters">Parameters of the transformers.</param>
/// <param name="TransformerGflopsPerClip">Analytic transformer GFLOPs to predict one clip.</param>
/// <param name="SecondsPerClip">Measured seconds per predicted clip (tokenising, decoding tokens, decoding frames).</param>
public sealed record MosoBenchmarkRow(string Model, long TokensPerClip, long TransformerParameters, double TransformerGflopsPerClip, double SecondsPerClip);

/// <summary>What <see cref="MosoBenchmark"/> measured.</summary>
public sealed record MosoBenchmarkResult(string Benchmark, MosoBenchmarkOptions Settings, IReadOnlyList<MosoBenchmarkRow> Models, int Threads, string Note)
{
    /// <summary>A Markdown table.</summary>
    public string ToMarkdown()
    {
        var s = Settings;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"MOSO prediction, {s.Context} -> {s.Frames - s.Context} frames at {s.Size}x{s.Size}, transformer width {s.Width}, {s.Layers} blocks each, {s.SceneObjectIterations} scene/object + {s.Iterations} motion iterations, {Threads} threads (random weights: speed does not depend on them).");
        md.AppendLine();
        md.AppendLine("| model | tokens per clip | transformer parameters | transformer GFLOPs per clip | s per predicted clip |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in Models)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Model} | {r.TokensPerClip} | {r.TransformerParameters:N0} | {r.TransformerGflopsPerClip:0.###} | {r.SecondsPerClip:0.###} |");
        md.AppendLine();
        md.AppendLine(Note);
        return md.ToString();
    }

    /// <summary>Writes the result as JSON (atomically).</summary>
    public void WriteJson(string path) => JsonFile.Write(path, this);

    /// <summary>Writes <see cref="ToMarkdown"/> (atomically).</summary>
    public void WriteMarkdown(string path) => AtomicFile.WriteAllText(path, ToMarkdown());
}

/// <summary>
/// MOSO's cost: tokens per clip, transformer FLOPs and seconds per predicted clip, for MOSO and
/// the non-decomposed VQ-VAE + transformer of equal transformer size (Table 6's ablation).
/// </summary>
public static class MosoBenchmark
{
    /// <summary>Measures both models.</summary>
    public static MosoBenchmarkResult Run(MosoBenchmarkOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.Initialize();
        var rows = new List<MosoBenchmarkRow>();
        foreach (bool decomposed in new[] { true, false })
        {
            string name = decomposed ? "moso" : "moso-nodecomp";
            torch.manual_seed(0);
            var vqvaeConfig = new MosoVqVaeTrainingConfig
            {
                Net = new MosoVqVaeNetConfig { Frames = options.Frames, Height = options.Size, Width = options.Size, Hidden = options.Hidden, Decomposed = decomposed },
            };
            vqvaeConfig.Net.Validate();
            var (scene, motion) = MosoTokens.GridSizes(vqvaeConfig.Net);
            var net = new MosoTransformerNetConfig
            {
                CodebookSize = vqvaeConfig.Net.CodebookSize, SceneTokens = scene, MotionFrames = options.Frames, MotionTokensPerFrame = motion,
                Width = options.Width, SceneObjectLayers = options.Layers, MotionLayers = options.Layers, MlpWidth = 4 * options.Width, Decomposed = decomposed,
            };
            var config = new MosoTransformerConfig { Net = net, VqVae = vqvaeConfig, ContextFrames = options.Context, InterpolationShare = 0 };
            var model = new MosoTransformerModel(config, new MosoVqVae(vqvaeConfig.Net));
            var sampler = model.Sampler();
            var sampleOptions = new MosoSampleOptions(new MaskGitOptions(Iterations: options.SceneObjectIterations), new MaskGitOptions(Iterations: options.Iterations));
            var layout = config.Layout(MosoTask.Prediction);
            using var generator = new Generator(0);
            using var video = torch.rand([1, 3, options.Frames, options.Size, options.Size]) * 2 - 1;
            sampler.SampleTensor(layout, video, 1, sampleOptions, generator).Dispose();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < options.Repeats; i++) sampler.SampleTensor(layout, video, 1, sampleOptions, generator).Dispose();
            double seconds = watch.Elapsed.TotalSeconds / options.Repeats;
            long tokens = (decomposed ? 2L * scene : 0) + (long)options.Frames * motion;
            long parameters = model.TrainingNetwork.Transformer.parameters().Sum(p => p.numel());
            var row = new MosoBenchmarkRow(name, tokens, parameters, MosoTransformerFlops.PerClip(net, sampleOptions) / 1e9, seconds);
            log?.Invoke($"{name}: {row.TokensPerClip} tokens, {row.TransformerGflopsPerClip:0.###} GFLOPs, {row.SecondsPerClip:0.###} s per clip");
            rows.Add(row);
        }
        return new MosoBenchmarkResult("moso", options, rows, torch.get_num_threads(),
            "Tokens per clip: 2 x (H/4)(W/4) scene and object tokens plus T (H/8)(W/8) motion tokens for MOSO; T (H/8)(W/8) frame tokens for the non-decomposed ablation. GFLOPs are analytic (MosoTransformerFlops); seconds are measured and include tokenising the pseudo video and decoding the frames.");
    }
}
