using Decoupled.Nn.UNet;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Pipelines.VideoFusion;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.VideoFusion;

/// <summary>Tiny VideoFusion configurations (a few thousand parameters per generator) and batches.</summary>
internal static class VideoFusionTesting
{
    public static IReadOnlyList<string> Classes { get; } = ShapeAction.All.Select(a => a.Name).ToList();

    /// <summary>4 frames of 16x16, two levels of width 8/16, one block per level.</summary>
    public static VideoFusionConfig Tiny(ConditionKind condition = ConditionKind.Label, int frames = 4, int size = 16)
    {
        var config = VideoFusionConfigs.Create(frames, size, baseWidth: 8, residualWidth: 8, [1, 2], condition, Classes);
        return config with { Base = Shrink(config.Base), Residual = Shrink(config.Residual!) };
    }

    /// <summary>The shapes batch of <paramref name="step"/> at the config's size.</summary>
    public static VideoBatch Batch(VideoFusionConfig config, int batch, long step = 0) =>
        VideoBatch.Draw(new ShapesClipSource(config.Frames, config.Height, config.Width, seed: 1), step, batch);

    private static UNet3DConfig Shrink(UNet3DConfig unet) => unet with { ResBlocksPerLevel = 1, NormGroups = 4, AttentionHeads = 2, AttentionHeadDim = 4 };
}
