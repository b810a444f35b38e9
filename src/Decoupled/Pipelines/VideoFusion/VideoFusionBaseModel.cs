using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Tensors;
using Decoupled.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// Section 3.4's pre-training: VideoFusion's base generator trained alone as an image diffusion model
/// (eps prediction, the same label/caption conditioning and null) on single frames drawn at random from
/// the training clips. Its checkpoint ("videofusion-base") loads into a full model with
/// <see cref="VideoFusionModel.LoadPretrainedBase"/>.
/// </summary>
public sealed class VideoFusionBaseModel : VideoFusionTrainable
{
    /// <summary>Builds a fresh base generator for <paramref name="config"/> (model_type "videofusion-base").</summary>
    public VideoFusionBaseModel(VideoFusionConfig config) : base(config, VideoFusionConfig.BaseType) { }

    /// <summary>The image diffusion loss || eps - z^b_phi(z_t, t, c) ||^2 on one random frame per clip.</summary>
    public override Tensor Loss(VideoBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var video = batch.Video;
        if (video.dim() != 5 || video.shape[3] != Config.Height || video.shape[4] != Config.Width)
            throw new UserInputException($"the base generator was configured for {Config.Height}x{Config.Width} frames, got [{string.Join(",", video.shape)}]");
        using var scope = NewDisposeScope();
        long b = video.shape[0];
        var frameIndex = torch.randint(0, video.shape[2], [b], dtype: ScalarType.Int64, generator: generator);
        var frames = torch.cat(Enumerable.Range(0, (int)b).Select(i => video[i].narrow(1, frameIndex[i].item<long>(), 1).unsqueeze(0)).ToList(), 0);
        var prepared = Objective.Prepare(frames, generator);
        var prediction = Network.PredictBase(prepared.NoisySample, prepared.Timesteps, TrainingConditioning(batch, generator));
        return Objective.Loss(prediction, prepared).MoveToOuterDisposeScope();
    }

    /// <summary>Samples one image per seed with DDIM and classifier-free guidance (as one-frame clips).</summary>
    public VideoClip[] SampleImages(IReadOnlyList<long> seeds, IReadOnlyList<int>? classIds = null, IReadOnlyList<string>? captions = null,
        int steps = 25, double guidance = 3.0, nn.Module? weights = null)
    {
        var network = (VideoFusionNetwork?)weights ?? Network;
        int b = seeds.Count;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = classIds is null ? null : tensor(classIds.Select(c => (long)c).ToArray());
        var conditional = network.Conditioning(new VideoFusionCondition(ids, captions));
        Func<Tensor, Tensor, Tensor> model = (z, t) => network.PredictBase(z, t, conditional);
        if (Config.Condition != ConditionKind.None && guidance != 1.0)
        {
            var unconditional = conditional with { DropMask = ones(b, dtype: ScalarType.Bool) };
            model = ClassifierFreeGuidance.Guide(model, (z, t) => network.PredictBase(z, t, unconditional), guidance);
        }
        var initial = torch.cat(seeds.Select(s =>
        {
            using var generator = StepRandom.Generator(s, 0);
            return torch.randn([1, 3, 1, Config.Height, Config.Width], generator: generator);
        }).ToList(), 0);
        var sampler = DiffusionSamplers.Create(SamplerKind.Ddim, Schedule, new SamplerOptions(Config.Prediction));
        return ClipTensor.FromBatch(DiffusionSampling.Run(model, initial, sampler, steps));
    }

    /// <summary>Writes <c>samples.png</c>: four sampled frames, labelled with their condition.</summary>
    public override void Preview(string folder, long step, nn.Module weights)
    {
        int classes = Math.Max(1, Config.ClassNames.Count);
        var ids = Enumerable.Range(0, 4).Select(i => i % classes).ToList();
        var captions = ids.Select(i => Config.ClassNames.Count > i ? Config.ClassNames[i] : "").ToList();
        var images = SampleImages([7, 8, 9, 10], Config.Condition == ConditionKind.Label ? ids : null,
            Config.Condition == ConditionKind.Text ? captions : null, weights: weights);
        ContactSheet.Write(Path.Combine(folder, "samples.png"), images, new ContactSheetOptions { Labels = captions });
    }
}
