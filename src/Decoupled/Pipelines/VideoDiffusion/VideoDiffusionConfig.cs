using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Text;
using Decoupled.Nn.UNet;
using Decoupled.Pipelines.Checkpoints;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>What a VDM / D-VDM model is conditioned on besides the first frame.</summary>
public enum ConditionKind
{
    /// <summary>A class (action) label.</summary>
    Label,

    /// <summary>A caption through a text encoder.</summary>
    Text,

    /// <summary>Nothing but the first frame.</summary>
    None,
}

/// <summary>
/// Everything needed to rebuild and sample a VDM or D-VDM model; stored as the checkpoint's
/// <c>config.json</c> (snake_case). The two models differ only in <see cref="TargetSpace"/>.
/// </summary>
public sealed record VideoDiffusionConfig : IModelConfig
{
    /// <summary>"vdm" (pixels) or "d-vdm" (frame differences).</summary>
    public required string ModelType { get; init; }

    /// <summary>"pixels" or "frame-differences".</summary>
    public required string TargetSpace { get; init; }

    /// <summary>Scale applied to frame differences (D-VDM).</summary>
    public double DifferenceScale { get; init; } = 0.5;

    /// <summary>Frames per clip (K), first frame included.</summary>
    public required int Frames { get; init; }

    /// <summary>Frame height.</summary>
    public required int Height { get; init; }

    /// <summary>Frame width.</summary>
    public required int Width { get; init; }

    /// <summary>The denoiser; its in/out channels match the target space.</summary>
    public required UNet3DConfig UNet { get; init; }

    /// <summary>Noise schedule.</summary>
    public NoiseScheduleConfig Schedule { get; init; } = new(NoiseScheduleKind.Cosine);

    /// <summary>Label, text or none.</summary>
    public ConditionKind Condition { get; init; } = ConditionKind.Label;

    /// <summary>Class names in id order (labels and reports).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Text encoder (when <see cref="Condition"/> is text).</summary>
    public TextEncoderConfig? Text { get; init; }

    /// <summary>Probability of dropping the label/caption in training (classifier-free guidance).</summary>
    public double ConditionDropProbability { get; init; } = 0.1;

    /// <summary>Training data ("shapes" or a folder path), for reports.</summary>
    public string Dataset { get; init; } = "shapes";
}

/// <summary>The standard VDM / D-VDM configurations the CLI and benchmarks build.</summary>
public static class VideoDiffusionConfigs
{
    /// <summary>
    /// A VDM ("vdm") or D-VDM ("d-vdm") model for K x size x size clips: a U-Net of the given base
    /// width and multipliers with spatial attention at the coarsest level, temporal attention at
    /// every level (4 heads of width/4 channels, at least 8, so attention is as wide as the first
    /// level rather than VDM's fixed 4 x 32, which dominated CPU time at small widths), and a
    /// 16-channel first-frame feature map at full resolution.
    /// </summary>
    public static VideoDiffusionConfig Create(string modelType, int frames, int size, int width, IReadOnlyList<int> multipliers,
        ConditionKind condition, IReadOnlyList<string> classNames, string dataset = "shapes")
    {
        if (modelType is not ("vdm" or "d-vdm"))
            throw new UserInputException($"model must be vdm or d-vdm, got '{modelType}'");
        return new VideoDiffusionConfig
        {
            ModelType = modelType,
            TargetSpace = modelType == "vdm" ? "pixels" : "frame-differences",
            Frames = frames, Height = size, Width = size,
            Condition = condition, ClassNames = classNames, Dataset = dataset,
            UNet = new UNet3DConfig
            {
                InChannels = 3, OutChannels = 3, BaseChannels = width, ChannelMultipliers = multipliers,
                AttentionLevels = [multipliers.Count - 1], AttentionHeads = 4, AttentionHeadDim = Math.Max(8, width / 4), MaxFrames = Math.Max(32, frames),
                NumClasses = condition == ConditionKind.Label ? classNames.Count : null,
                TextDim = condition == ConditionKind.Text ? TextEncoderConfig.DefaultSmall.Small!.EmbeddingDim : null,
                FirstFrameChannels = 16, FirstFrameFactor = 1,
            },
        };
    }
}
