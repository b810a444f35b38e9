using Decoupled.Generators.MaskedTokens;
using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Tensors;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Trains MOSO-Transformer (section 3.2) on clips tokenised by a frozen MOSO-VQVAE. Each row of a
/// batch practises one task (prediction, interpolation or unconditional generation): TransformerSO
/// learns the target's scene and object tokens from the pseudo video's (equation 11; MaskGIT-style
/// masking of the target so it can also decode iteratively), and TransformerM the masked motion
/// tokens of the frames not given, from the guidance embeddings of TransformerG (which shares
/// TransformerSO's parameters) and the given frames' motion tokens (equations 12-13).
/// </summary>
public sealed class MosoTransformerModel : ITrainableModel<VideoBatch>
{
    private readonly MosoTransformerTrainingNetwork network;

    /// <summary>A model of <paramref name="config"/> with fresh transformers and the VQ-VAE weights of <paramref name="vqvae"/>.</summary>
    public MosoTransformerModel(MosoTransformerConfig config, MosoVqVae vqvae)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(vqvae);
        config.Validate();
        config.Net.Validate();
        Config = config;
        network = new MosoTransformerTrainingNetwork(config);
        CopyWeights(vqvae, network.VqVae);
    }

    private MosoTransformerModel(MosoTransformerConfig config, MosoTransformerTrainingNetwork network)
    {
        Config = config;
        this.network = network;
    }

    /// <inheritdoc />
    IModelConfig ITrainableModel<VideoBatch>.Config => Config;

    /// <summary>The configuration.</summary>
    public MosoTransformerConfig Config { get; }

    /// <summary>The transformers and the frozen VQ-VAE.</summary>
    public MosoTransformerTrainingNetwork TrainingNetwork => network;

    /// <inheritdoc />
    public nn.Module Network => network;

    /// <inheritdoc />
    public IReadOnlyList<ParameterGroup> ParameterGroups() => [new ParameterGroup(network.Transformer.parameters().ToList())];

    /// <inheritdoc />
    public nn.Module CreateNetwork() => new MosoTransformerTrainingNetwork(Config);

    /// <summary>A model with the weights of a checkpoint folder (its EMA weights when it has them), in eval mode.</summary>
    public static MosoTransformerModel Load(string checkpoint, bool preferEma = true)
    {
        var config = CheckpointFolder.LoadConfig<MosoTransformerConfig>(checkpoint, MosoTransformerConfig.Type);
        var network = new MosoTransformerTrainingNetwork(config);
        CheckpointFolder.LoadWeights(checkpoint, network, useEma: preferEma && CheckpointFolder.HasEma(checkpoint));
        network.eval();
        return new MosoTransformerModel(config, network);
    }

    /// <summary>The sampler over this model's weights (<paramref name="weights"/> defaults to <see cref="Network"/>).</summary>
    public MosoSampler Sampler(nn.Module? weights = null) => new(Config, (MosoTransformerTrainingNetwork)(weights ?? network));

    /// <inheritdoc />
    public Tensor Loss(VideoBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var transformer = network.Transformer;
        var vqvae = network.VqVae;
        var video = batch.Video;
        long rows = video.shape[0];
        var draws = torch.rand(rows, generator: generator, dtype: ScalarType.Float64).data<double>().ToArray();
        var layouts = draws.Select(u => Config.Layout(Config.TaskFor(u))).ToList();

        using var target = MosoTokens.Encode(vqvae, video);
        var pseudoVideo = torch.cat(layouts.Select((l, i) => l.PseudoVideo(video[TensorIndex.Slice(i, i + 1)])).ToArray(), 0);
        using var pseudo = MosoTokens.Encode(vqvae, pseudoVideo);
        long maskId = Config.Net.CodebookSize;
        var unconditional = torch.tensor(layouts.Select(l => l.Task == MosoTask.Unconditional).ToArray()).unsqueeze(1);

        Tensor loss = torch.zeros(1).squeeze();
        Tensor? guidance = null;
        if (Config.Net.Decomposed)
        {
            var targetSceneObject = target.SceneObjectSequence();
            var pseudoSceneObject = pseudo.SceneObjectSequence().masked_fill(unconditional, maskId);
            var everywhere = torch.ones_like(targetSceneObject, dtype: ScalarType.Bool);
            var maskedSceneObject = TokenMasking.Random(targetSceneObject, everywhere, maskId, MaskSchedule.Cosine, generator);
            var sceneObjectLogits = transformer.SceneObjectLogits(pseudoSceneObject, maskedSceneObject.Input);
            loss = loss + MaskedTokenLoss.CrossEntropy(sceneObjectLogits, targetSceneObject, maskedSceneObject.Masked);
            // Teacher forcing: the guidance comes from the target's true scene and object tokens.
            guidance = transformer.Guidance(targetSceneObject);
        }

        int perFrame = (int)(target.Motion.shape[2] * target.Motion.shape[3]);
        var known = torch.tensor(layouts.SelectMany(l => l.KnownMotionPositions(perFrame)).ToArray()).reshape(rows, -1);
        var targetMotion = target.MotionSequence();
        // Given frames show the pseudo video's tokens, which equation 12 makes the target's own.
        var motionStart = torch.where(known, pseudo.MotionSequence(), targetMotion);
        var maskedMotion = TokenMasking.Random(motionStart, known.logical_not(), maskId, MaskSchedule.Cosine, generator);
        var motionLogits = transformer.MotionLogits(guidance, maskedMotion.Input);
        loss = loss + MaskedTokenLoss.CrossEntropy(motionLogits, targetMotion, maskedMotion.Masked);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes a contact sheet of predictions for four held-out clips (real clip above, the
    /// prediction from its first K frames below) and one unconditional sample.
    /// </summary>
    public void Preview(string folder, long step, nn.Module weights)
    {
        var source = PreviewSource ?? new ShapesClipSource(Config.VqVae.Frames, Config.VqVae.Height, Config.VqVae.Width, seed: 12345, ShapesSplit.Test);
        var clips = Enumerable.Range(0, 4).Select(i => source.Draw(0, i).Clip).ToList();
        var sampler = Sampler(weights);
        using var generator = new Generator((ulong)(1234 + step), device: CPU);
        using var video = ClipTensor.ToBatch(clips);
        var predicted = sampler.Sample(Config.Layout(MosoTask.Prediction), video, MosoSampleOptions.Default, generator);
        var rows = new List<VideoClip>();
        var labels = new List<string>();
        for (int i = 0; i < clips.Count; i++)
        {
            rows.Add(clips[i]);
            labels.Add("real");
            rows.Add(predicted[i]);
            labels.Add($"predicted from {Config.ContextFrames}");
        }
        ContactSheet.Write(Path.Combine(folder, "predictions.png"), rows, new ContactSheetOptions { Labels = labels });
    }

    /// <summary>Clips the previews predict (default: held-out shapes subjects).</summary>
    public IClipSource? PreviewSource { get; set; }

    /// <summary>
    /// Starts the transformers from those of another MOSO-Transformer checkpoint (its EMA weights
    /// when it has them), keeping this model's own VQ-VAE: fine-tuning onto a retrained tokenizer
    /// costs a fraction of training from scratch. The two must have the same transformer config.
    /// </summary>
    public void InitialiseTransformerFrom(string checkpoint)
    {
        var other = CheckpointFolder.LoadConfig<MosoTransformerConfig>(checkpoint, MosoTransformerConfig.Type);
        if (other.Net != Config.Net)
            throw new UserInputException($"{checkpoint}: its transformer ({Describe(other.Net)}) differs from this one ({Describe(Config.Net)})");
        var source = Load(checkpoint);
        CopyWeights(source.network.Transformer, network.Transformer);
        source.network.Dispose();
    }

    private static string Describe(MosoTransformerNetConfig net) =>
        $"width {net.Width}, {net.Heads} heads, {net.SceneObjectLayers}+{net.MotionLayers} layers, codebook {net.CodebookSize}, {net.SceneTokens} scene and {net.MotionFrames}x{net.MotionTokensPerFrame} motion tokens{(net.Decomposed ? "" : ", non-decomposed")}";

    private static void CopyWeights(nn.Module source, nn.Module destination)
    {
        using var noGrad = torch.no_grad();
        var sourceState = source.state_dict();
        foreach (var (name, tensor) in destination.state_dict())
            tensor.copy_(sourceState[name]);
    }
}
