using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Conditioning;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Runtime;
using Decoupled.Tensors;
using Decoupled.Video;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// VideoFusion (Luo et al. 2023): diffusion in pixel space with a decomposed noise, a base noise
/// shared by all frames plus a residual noise per frame (equations 7-11), denoised by a 2D base
/// generator on the base frame and a 2D residual generator on the others (equations 12-13), trained
/// with equation 14. Unconditional, or conditioned on a label or caption with classifier-free guidance.
/// </summary>
public sealed class VideoFusionModel : VideoFusionTrainable
{
    /// <summary>Builds a fresh model (weights from torch's current seed); the base generator is frozen when the config says so.</summary>
    public VideoFusionModel(VideoFusionConfig config) : base(config, VideoFusionConfig.FullType)
    {
        if (config.FreezeBase)
            foreach (var p in Network.BaseParameters) p.requires_grad = false;
        Noise = config.Noise();
    }

    /// <summary>The noise decomposition (lambda per frame).</summary>
    public DecomposedNoise Noise { get; }

    /// <summary>Clips whose labels/captions <see cref="Preview"/> uses (shapes test subjects by default).</summary>
    public IClipSource? PreviewSource { get; set; }

    /// <summary>
    /// The base generator at <see cref="VideoFusionConfig.BaseLearningRateScale"/> of the learning rate
    /// (left out when frozen), everything else at the full rate.
    /// </summary>
    public override IReadOnlyList<ParameterGroup> ParameterGroups()
    {
        var baseHandles = Network.BaseParameters.Select(p => p.Handle).ToHashSet();
        var others = Network.parameters().Where(p => !baseHandles.Contains(p.Handle)).ToList();
        if (Config.FreezeBase) return [new ParameterGroup(others)];
        if (Config.BaseLearningRateScale == 1.0) return [new ParameterGroup(Network.parameters().ToList())];
        return [new ParameterGroup(others), new ParameterGroup(Network.BaseParameters.ToList(), Config.BaseLearningRateScale)];
    }

    /// <summary>A model with the weights of a checkpoint folder (its EMA weights when it has them).</summary>
    public static VideoFusionModel Load(string checkpoint, bool preferEma = true)
    {
        var type = CheckpointFolder.ReadModelType(checkpoint);
        if (type != VideoFusionConfig.FullType)
            throw new UserInputException($"{checkpoint}: holds a '{type}' model, not {VideoFusionConfig.FullType}");
        var model = new VideoFusionModel(CheckpointFolder.LoadConfig<VideoFusionConfig>(checkpoint, type));
        CheckpointFolder.LoadWeights(checkpoint, model.Network, useEma: preferEma && CheckpointFolder.HasEma(checkpoint));
        model.Network.eval();
        return model;
    }

    /// <summary>
    /// Section 3.4: starts the base generator (and the shared text encoder) from a "videofusion-base"
    /// checkpoint (its EMA weights when it has them). Its base U-Net, condition and classes must be this model's.
    /// </summary>
    public void LoadPretrainedBase(string checkpoint)
    {
        var type = CheckpointFolder.ReadModelType(checkpoint);
        if (type != VideoFusionConfig.BaseType)
            throw new UserInputException($"{checkpoint}: holds a '{type}' model, not a pre-trained base generator ({VideoFusionConfig.BaseType})");
        var pretrained = CheckpointFolder.LoadConfig<VideoFusionConfig>(checkpoint, type);
        if (IO.JsonFile.Serialize(pretrained.Base) != IO.JsonFile.Serialize(Config.Base) || pretrained.Condition != Config.Condition
            || !pretrained.ClassNames.SequenceEqual(Config.ClassNames) || pretrained.Prediction != Config.Prediction)
            throw new UserInputException($"{checkpoint}: its base generator (width, levels, condition, classes, prediction) differs from this model's");
        var folder = CheckpointFolder.Resolve(checkpoint);
        var file = Path.Combine(folder, CheckpointFolder.HasEma(folder) ? CheckpointFolder.EmaFile : CheckpointFolder.WeightsFile);
        var report = IO.Safetensors.ModuleWeights.Load(file, Network, strict: false);
        var notResidual = report.Missing.Where(name => !name.StartsWith("residual_generator.", StringComparison.Ordinal)).ToList();
        if (report.Unexpected.Count > 0 || notResidual.Count > 0)
            throw new UserInputException($"{file}: does not hold exactly a base generator ({string.Join(", ", report.Unexpected.Concat(notResidual).Take(4))})");
    }

    /// <summary>
    /// Equation 14 on a batch: decomposed noise (equations 9 and 11; shared within the batch by subject
    /// and action when <see cref="VideoFusionConfig.ShareNoiseByLabel"/> is set), the prediction of
    /// equations 12-13 (or their v-form) with the stop-gradient of the config, and the (weighted) mean squared error over all frames.
    /// </summary>
    public override Tensor Loss(VideoBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var x0 = batch.Video;
        if (x0.dim() != 5 || x0.shape[2] != Config.Frames || x0.shape[3] != Config.Height || x0.shape[4] != Config.Width)
            throw new UserInputException($"VideoFusion was configured for {Config.Frames}x{Config.Height}x{Config.Width} clips, got [{string.Join(",", x0.shape)}]");
        using var scope = NewDisposeScope();
        long b = x0.shape[0];
        var t = Objective.SampleTimesteps(b, generator, x0.device);
        var epsilon = Config.ShareNoiseByLabel
            ? Noise.SampleShared(x0.shape, BaseGroups(batch), ResidualGroups(batch), generator, x0.dtype, x0.device)
            : Noise.Sample(x0.shape, generator, dtype: x0.dtype, device: x0.device);
        var prepared = Objective.Prepare(x0, t, epsilon);
        var conditioning = TrainingConditioning(batch, generator);
        var sampling = new VideoFusionSampling(Network, Schedule, Noise, Config.StopGradient, Config.Prediction);
        var prediction = sampling.Predict(prepared.NoisySample, t, conditioning);
        return Objective.Loss(prediction, prepared).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Generates one video per entry of <paramref name="seeds"/>, with a label or caption each as the
    /// config asks. Videos longer than the model's N frames (<see cref="VideoFusionSampleOptions.Frames"/>)
    /// are extended chunk by chunk with the base noise fixed.
    /// </summary>
    public VideoClip[] Sample(IReadOnlyList<NoiseSeeds> seeds, IReadOnlyList<int>? classIds = null, IReadOnlyList<string>? captions = null,
        VideoFusionSampleOptions? options = null, nn.Module? weights = null, Action<SamplingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        options ??= new VideoFusionSampleOptions();
        int b = seeds.Count;
        if (b == 0) throw new ArgumentException("no videos to sample");
        SampleConditions.Check(Config.Condition, Config.ClassNames, b, classIds, captions);
        int frames = options.Frames ?? Config.Frames;
        int context = options.ContextFrames ?? Math.Min(Config.Frames - 1, Noise.BaseFrame + 1);
        if (frames < 1) throw new UserInputException($"frames must be at least 1, got {frames}");
        if (frames > Config.Frames && (context < 1 || context >= Config.Frames))
            throw new UserInputException($"a long video needs 1..{Config.Frames - 1} context frames, got {context}");
        if (options.Steps < 1) throw new UserInputException($"steps must be at least 1, got {options.Steps}");

        var network = (VideoFusionNetwork?)weights ?? Network;
        bool wasTraining = network.training;
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = classIds is null ? null : tensor(classIds.Select(c => (long)c).ToArray());
        var conditional = network.Conditioning(new VideoFusionCondition(ids, captions));
        UNetConditioning? unconditional = Config.Condition != ConditionKind.None && options.Guidance != 1.0
            ? conditional with { DropMask = ones(b, dtype: ScalarType.Bool) }
            : null;
        var sampling = new VideoFusionSampling(network, Schedule, Noise, Config.StopGradient, Config.Prediction);
        var denoiser = sampling.Denoiser(conditional, unconditional, options.Guidance);
        long[] shape = [b, 3, Config.Frames, Config.Height, Config.Width];
        using var probe = zeros(shape);
        using var firstStep = full([b], Schedule.TrainSteps - 1, dtype: ScalarType.Int64);
        using var oneDnn = OneDnnSelfCheck.UseVerifiedForSampling(() => sampling.Predict(probe, firstStep, conditional), out _);
        var sampler = DiffusionSamplers.Create(options.Sampler, Schedule, new SamplerOptions(Config.Prediction));
        var video = sampling.Generate(denoiser, seeds, shape, frames, context, sampler, options.Steps, options.Eta, progress);
        if (wasTraining) network.train();
        return ClipTensor.FromBatch(video, Video.Datasets.Shapes.ShapesDatasetOptions.DefaultFramesPerSecond);
    }

    /// <summary>
    /// Samples four held-out label/caption combinations with the EMA weights and writes them as GIFs and
    /// a contact sheet, plus two rows of the control of Figure 1 (one base noise, two residual noises).
    /// </summary>
    public override void Preview(string folder, long step, nn.Module weights) =>
        VideoFusionPreview.Write(this, folder, step, weights);

    // Section 4.7: one base noise per subject (clips of unknown subject keep their own).
    private static long[] BaseGroups(VideoBatch batch)
    {
        var subjects = batch.SubjectIds?.data<long>().ToArray() ?? Enumerable.Repeat(-1L, (int)batch.Video.shape[0]).ToArray();
        return subjects.Select((s, k) => s >= 0 ? s : long.MinValue + k).ToArray();
    }

    // Section 4.7: one residual noise per action.
    private static long[] ResidualGroups(VideoBatch batch) => batch.ClassIds.data<long>().ToArray();
}
