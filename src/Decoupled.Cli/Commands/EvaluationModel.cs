using Decoupled.Cli.Infrastructure;
using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;

namespace Decoupled.Cli.Commands;

/// <summary>A generative checkpoint as <c>evaluate</c> uses it: what it is, the clip size it makes, and how to generate for items.</summary>
/// <param name="ModelType">The checkpoint's model type.</param>
/// <param name="ClassNames">Class names in id order.</param>
/// <param name="Frames">Frames per generated clip.</param>
/// <param name="Height">Frame height.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Generate">Generates one clip per item.</param>
internal sealed record EvaluationModel(string ModelType, IReadOnlyList<string> ClassNames, int Frames, int Height, int Width, ClipGenerator Generate)
{
    /// <summary>Loads a VDM / D-VDM / ED-VDM (image-to-video) or VideoFusion (label or caption to video) checkpoint.</summary>
    public static EvaluationModel Load(string folder, bool preferEma, double deadZone, int steps, SamplerKind sampler, double guidance, CancellationToken token)
    {
        if (CheckpointFolder.ReadModelType(folder) == VideoFusionConfig.FullType)
        {
            if (deadZone != 0) throw new UserInputException("--dead-zone applies to d-vdm and ed-vdm models; this checkpoint holds a videofusion model");
            var fusion = VideoFusionModel.Load(folder, preferEma);
            var c = fusion.Config;
            return new EvaluationModel(c.ModelType, c.ClassNames, c.Frames, c.Height, c.Width, VideoFusionGenerator.For(fusion, steps, sampler, guidance, token));
        }
        var model = VideoDiffusionModel.Load(folder, preferEma);
        DeadZoneOption.Apply(model, deadZone);
        var config = model.Config;
        return new EvaluationModel(config.ModelType, config.ClassNames, config.Frames, config.Height, config.Width, VideoDiffusionGenerator.For(model, steps, sampler, guidance, token));
    }
}
