using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Text;
using Decoupled.Nn.UNet;
using Decoupled.Pipelines.VideoDiffusion;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>The standard VideoFusion configurations the CLI, tests and benchmarks build.</summary>
public static class VideoFusionConfigs
{
    /// <summary>
    /// A VideoFusion model for N x size x size clips: a base U-Net of <paramref name="baseWidth"/> and a
    /// residual U-Net of <paramref name="residualWidth"/> (smaller is typical: Tables 8 and 9), both 2D with
    /// spatial attention at the coarsest level, and lambda = <paramref name="lambda"/> off the base frame.
    /// </summary>
    public static VideoFusionConfig Create(int frames, int size, int baseWidth, int residualWidth, IReadOnlyList<int> multipliers,
        ConditionKind condition, IReadOnlyList<string> classNames, double lambda = 0.5, string dataset = "shapes")
    {
        if (frames < 1) throw new UserInputException($"--frames must be at least 1, got {frames}");
        if (!(lambda >= 0 && lambda <= 1)) throw new UserInputException($"--lambda must lie in [0, 1], got {lambda}");
        var config = new VideoFusionConfig
        {
            Frames = frames, Height = size, Width = size, Lambda = DecomposedNoise.UniformLambda(frames, lambda),
            Base = ImageUNet(baseWidth, multipliers, condition, classNames),
            Residual = ImageUNet(residualWidth, multipliers, condition, classNames) with { FrameIndices = frames },
            Condition = condition, ClassNames = classNames, Dataset = dataset,
        };
        config.Validate();
        return config;
    }

    /// <summary>
    /// <paramref name="config"/> with a residual generator that encodes the base frame's denoised estimate
    /// into 16 channels concatenated to its input (<see cref="VideoFusionConfig.ResidualSeesBase"/>).
    /// </summary>
    public static VideoFusionConfig WithResidualSeeingBase(VideoFusionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var residual = config.Residual ?? throw new UserInputException("only a full videofusion model has a residual generator to condition on the base frame");
        return config with { Residual = residual with { FirstFrameChannels = 16, FirstFrameFactor = 1 } };
    }

    /// <summary>The config of the base generator pre-trained alone ("videofusion-base"): <paramref name="full"/> without its residual generator.</summary>
    public static VideoFusionConfig BaseOnly(VideoFusionConfig full) =>
        full with { ModelType = VideoFusionConfig.BaseType, Residual = null, FreezeBase = false, BaseLearningRateScale = 1.0, ShareNoiseByLabel = false };

    /// <summary>
    /// A 2D image U-Net in the engine's 3D shape (spatial convolutions, no temporal attention, one frame
    /// at a time) with the class or caption embedding and its learned null.
    /// </summary>
    public static UNet3DConfig ImageUNet(int width, IReadOnlyList<int> multipliers, ConditionKind condition, IReadOnlyList<string> classNames)
    {
        if (width < 2 || width % 2 != 0) throw new UserInputException($"U-Net width must be even and at least 2, got {width}");
        return new UNet3DConfig
        {
            InChannels = 3, OutChannels = 3, BaseChannels = width, ChannelMultipliers = multipliers,
            AttentionLevels = [multipliers.Count - 1], AttentionHeads = 4, AttentionHeadDim = Math.Max(8, width / 4),
            TemporalAttention = false,
            NumClasses = condition == ConditionKind.Label ? classNames.Count : null,
            TextDim = condition == ConditionKind.Text ? TextEncoderConfig.DefaultSmall.Small!.EmbeddingDim : null,
        };
    }
}
