using Decoupled.Generators.Diffusion;
using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.Training;
using Decoupled.Runtime;
using Decoupled.Tensors;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>
/// VDM and D-VDM for image-to-video: a 3D U-Net learns epsilon_theta(x_t, t, first frame, c) on the
/// target space (raw frames for VDM; frame differences for D-VDM, equations 1-7 of the ED-VDM
/// paper), with classifier-free guidance on the label or caption. Sampling starts from noise,
/// denoises with DDIM or DDPM and rebuilds the clip from the given first frame.
/// </summary>
public sealed class VideoDiffusionModel : ITrainableModel<VideoBatch>
{
    private readonly DiffusionObjective objective;
    private readonly double[]? channelWeights;
    private readonly bool weighActiveBlocks;

    /// <summary>Builds a fresh model (weights from torch's current seed).</summary>
    public VideoDiffusionModel(VideoDiffusionConfig config)
    {
        // The runtime settings (oneDNN off, NNPACK off) must be in place before the first forward pass.
        TorchRuntime.Initialize();
        Config = config;
        Network = new VideoDiffusionNetwork(config);
        TargetSpace = config.TargetSpace == "motion-residuals"
            ? new MotionResidualTargetSpace(Network.ResidualVae!, config.Codec(), config.LatentScale, config.VectorScale)
            : VideoTargetSpaces.Create(config.TargetSpace, config.DifferenceScale);
        Schedule = new NoiseSchedule(config.Schedule);
        objective = new DiffusionObjective(Schedule, config.Prediction, config.Weighting);
        if (config.TargetSpace == "motion-residuals" && config.VectorLossWeight != 1.0)
            channelWeights = [.. Enumerable.Repeat(config.VectorLossWeight, 2), .. Enumerable.Repeat(1.0, TargetSpace.TargetChannels - 2)];
        weighActiveBlocks = config.TargetSpace == "motion-residuals" && config.ActiveBlockLossWeight != 1.0;
    }

    /// <summary>The configuration.</summary>
    public VideoDiffusionConfig Config { get; }

    /// <inheritdoc />
    IModelConfig ITrainableModel<VideoBatch>.Config => Config;

    /// <summary>The network being trained.</summary>
    public VideoDiffusionNetwork Network { get; }

    /// <inheritdoc />
    nn.Module ITrainableModel<VideoBatch>.Network => Network;

    /// <summary>What is diffused.</summary>
    public IVideoTargetSpace TargetSpace { get; }

    /// <summary>The noise schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>Clips used by <see cref="Preview"/> (set by the trainer's caller; shapes test subjects by default).</summary>
    public IClipSource? PreviewSource { get; set; }

    /// <inheritdoc />
    public nn.Module CreateNetwork() => new VideoDiffusionNetwork(Config);

    /// <summary>A model with the weights of a checkpoint folder (its EMA weights when it has them).</summary>
    public static VideoDiffusionModel Load(string checkpoint, bool preferEma = true)
    {
        var type = CheckpointFolder.ReadModelType(checkpoint);
        if (type is not ("vdm" or "d-vdm" or "ed-vdm"))
            throw new UserInputException($"{checkpoint}: holds a '{type}' model, not vdm, d-vdm or ed-vdm");
        var model = new VideoDiffusionModel(CheckpointFolder.LoadConfig<VideoDiffusionConfig>(checkpoint, type));
        CheckpointFolder.LoadWeights(checkpoint, model.Network, useEma: preferEma && CheckpointFolder.HasEma(checkpoint));
        model.Network.eval();
        return model;
    }

    /// <summary>Equation 6: || epsilon - epsilon_theta(x_t, t, c) ||^2 on the target space, with condition dropout (ED-VDM: vector channels weighted by <see cref="VideoDiffusionConfig.VectorLossWeight"/>).</summary>
    public Tensor Loss(VideoBatch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x0 = batch.Target ?? TargetSpace.Encode(batch.Video);
        var prepared = objective.Prepare(x0, generator);
        var condition = new VideoCondition(
            FirstFrame: Config.UsesFirstFrame() ? batch.Video.select(2, 0) : null,
            ClassIds: batch.ClassIds,
            Captions: batch.Captions,
            DropMask: Config.Condition == ConditionKind.None ? null
                : ConditionDropout.Mask(x0.shape[0], Config.ConditionDropProbability, generator));
        var epsilon = Network.call(prepared.NoisySample, prepared.Timesteps, condition);
        var blockWeights = weighActiveBlocks ? ActiveBlockWeights(x0, Config.ActiveBlockLossWeight, Config.ActiveBlockThreshold) : null;
        return objective.Loss(epsilon, prepared, channelWeights, blockWeights).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ED-VDM's per-block loss weights <c>[B, 1, K-1, h, w]</c> for a clean target <paramref name="x0"/>
    /// <c>[B, 2 + C, K-1, h, w]</c>: <paramref name="weight"/> where the block has a non-zero vector or
    /// residual latents with an RMS over the C channels above <paramref name="threshold"/>, else 1.
    /// </summary>
    public static Tensor ActiveBlockWeights(Tensor x0, double weight, double threshold)
    {
        ArgumentNullException.ThrowIfNull(x0);
        if (x0.dim() != 5 || x0.shape[1] < 3) throw new ArgumentException($"expected a motion-residual target [B, 2 + C, K-1, h, w], got [{string.Join(", ", x0.shape)}]", nameof(x0));
        if (!(weight > 0 && double.IsFinite(weight))) throw new ArgumentOutOfRangeException(nameof(weight), weight, "the active-block weight must be a positive number");
        if (!(threshold >= 0 && double.IsFinite(threshold))) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold must be a non-negative number");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var moving = x0.narrow(1, 0, 2).abs().amax([1], keepdim: true).gt(0);
        var latentRms = x0.narrow(1, 2, x0.shape[1] - 2).square().mean([1], keepdim: true).sqrt();
        var active = moving.logical_or(latentRms.gt(threshold));
        return (active.to(x0.dtype) * (weight - 1) + 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Generates <paramref name="count"/> clips from their labels or captions alone, for a model
    /// without first-frame conditioning (<see cref="VideoDiffusionConfig.UsesFirstFrame"/> false);
    /// the other arguments are those of the image-to-video overload.
    /// </summary>
    public VideoClip[] Sample(int count, IReadOnlyList<int>? classIds = null, IReadOnlyList<string>? captions = null,
        int steps = 50, SamplerKind sampler = SamplerKind.Ddim, double guidance = 3.0, double eta = 0.0, long seed = 0,
        nn.Module? weights = null, Action<SamplingProgress>? progress = null)
    {
        if (Config.UsesFirstFrame())
            throw new UserInputException($"this {Config.ModelType} model generates from a first frame: give one per video");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one video");
        // Placeholders for the count and size only: the network never sees them and pixels decode without them.
        var blank = new VideoClip(1, Config.Height, Config.Width);
        return Sample(Enumerable.Repeat(blank, count).ToList(), classIds, captions, steps, sampler, guidance, eta, seed, weights, progress);
    }

    /// <summary>
    /// Generates one clip per first frame (for a model without first-frame conditioning the frames
    /// give only the count and size, and are not seen). <paramref name="classIds"/> or <paramref name="captions"/>
    /// per item as the config asks; <paramref name="guidance"/> is the classifier-free guidance
    /// scale w (1 = plain conditional); <paramref name="eta"/> 0 = deterministic DDIM.
    /// </summary>
    public VideoClip[] Sample(IReadOnlyList<VideoClip> firstFrames, IReadOnlyList<int>? classIds = null, IReadOnlyList<string>? captions = null,
        int steps = 50, SamplerKind sampler = SamplerKind.Ddim, double guidance = 3.0, double eta = 0.0, long seed = 0,
        nn.Module? weights = null, Action<SamplingProgress>? progress = null)
    {
        int b = firstFrames.Count;
        if (b == 0) throw new ArgumentException("no first frames to sample from");
        foreach (var f in firstFrames)
            if (f.Height != Config.Height || f.Width != Config.Width)
                throw new UserInputException($"first frame is {f.Width}x{f.Height}, the model was trained at {Config.Width}x{Config.Height}");
        SampleConditions.Check(Config.Condition, Config.ClassNames, b, classIds, captions);

        var network = (VideoDiffusionNetwork?)weights ?? Network;
        bool wasTraining = network.training;
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var first = ClipTensor.ToBatch(firstFrames.Select(f => f.Slice(0, 1)).ToList()).select(2, 0);
        var ids = classIds is null ? null : tensor(classIds.Select(c => (long)c).ToArray());
        var conditional = new VideoCondition(Config.UsesFirstFrame() ? first : null, ids, captions);
        var unconditional = conditional with { DropMask = ones(b, dtype: ScalarType.Bool) };
        Func<Tensor, Tensor, Tensor> model = (x, t) => network.call(x, t, conditional);
        if (Config.Condition != ConditionKind.None && guidance != 1.0)
            model = ClassifierFreeGuidance.Guide(model, (x, t) => network.call(x, t, unconditional), guidance);

        using var generator = new Generator((ulong)seed);
        int factor = TargetSpace.SpatialFactor;
        var noise = randn([b, TargetSpace.TargetChannels, TargetSpace.TargetFrames(Config.Frames), Config.Height / factor, Config.Width / factor], generator: generator);
        // Predicted x0 is clipped to the target space's range ([-1, 1] for pixels).
        using var firstStep = full([b], Schedule.TrainSteps - 1, dtype: ScalarType.Int64);
        using var oneDnn = Runtime.OneDnnSelfCheck.UseVerifiedForSampling(() => network.call(noise, firstStep, conditional), out _);
        var diffusionSampler = DiffusionSamplers.Create(sampler, Schedule, new SamplerOptions(Config.Prediction, ClipRange: TargetSpace.SampleRange));
        var x0 = DiffusionSampling.Run(model, noise, diffusionSampler, steps, eta, generator: generator, progress: progress);
        var video = TargetSpace.Decode(x0, first);
        if (wasTraining) network.train();
        return ClipTensor.FromBatch(video, firstFrames[0].FramesPerSecond);
    }

    /// <summary>
    /// Samples clips for test-subject shapes (or the preview source) with the EMA weights and writes
    /// them as GIFs and a contact sheet, plus the action accuracy of the samples for shapes models.
    /// </summary>
    public void Preview(string folder, long step, nn.Module weights)
    {
        var source = PreviewSource ?? new ShapesClipSource(Config.Frames, Config.Height, Config.Width, seed: 12345, ShapesSplit.Test);
        var items = Enumerable.Range(0, 4).Select(i => source.Draw(0, i)).ToList();
        var samples = Sample(items.Select(i => i.Clip).ToList(), items.Select(i => i.ClassId).ToList(), items.Select(i => i.Caption).ToList(),
            steps: 25, seed: 7, weights: weights);
        var rows = new List<VideoClip>();
        for (int i = 0; i < samples.Length; i++)
        {
            VideoWriter.WriteGif(samples[i], Path.Combine(folder, $"sample_{i}.gif"));
            rows.Add(items[i].Clip);
            rows.Add(samples[i]);
        }
        ContactSheet.Write(Path.Combine(folder, "samples.png"), rows,
            new ContactSheetOptions { Labels = items.SelectMany(i => new[] { "real: " + i.Caption, "generated" }).ToList() });
        if (Config.Dataset == "shapes")
        {
            var accuracy = ActionAccuracyMetric.Evaluate(samples, items.Select(i => i.ClassId).ToList());
            IO.JsonFile.Write(Path.Combine(folder, "preview.json"), new { step, action_accuracy = accuracy.Accuracy, captions = items.Select(i => i.Caption) });
        }
    }
}
