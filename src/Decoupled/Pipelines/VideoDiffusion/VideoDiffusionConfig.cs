using Decoupled.Decompositions;
using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Autoencoders;
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
    /// <summary>"vdm" (pixels), "d-vdm" (frame differences) or "ed-vdm" (motion vectors and residual latents).</summary>
    public required string ModelType { get; init; }

    /// <summary>"pixels", "frame-differences", "first-frame-differences" (D-VDM) or "motion-residuals".</summary>
    public required string TargetSpace { get; init; }

    /// <summary>Scale applied to frame differences (D-VDM); x0 predictions are clipped to +-2x it.</summary>
    public double DifferenceScale { get; init; } = 0.5;

    /// <summary>ED-VDM: the residual autoencoder (its weights ship inside the checkpoint, frozen); null otherwise.</summary>
    public ResidualVaeConfig? Vae { get; init; }

    /// <summary>ED-VDM: the codec's motion search range in pixels (vectors are divided by it).</summary>
    public int SearchRange { get; init; } = 16;

    /// <summary>ED-VDM: the codec's motion-search rate term, copied from the autoencoder's run (<see cref="BlockMotionOptions.VectorCost"/>).</summary>
    public int VectorCost { get; init; }

    /// <summary>ED-VDM: factor on the residual latents (1 / their standard deviation on training data).</summary>
    public double LatentScale { get; init; } = 1.0;

    /// <summary>ED-VDM: factor on the vectors after dividing them by the search range (1 / their standard deviation on training data; 1 in checkpoints that predate it).</summary>
    public double VectorScale { get; init; } = 1.0;

    /// <summary>
    /// ED-VDM: weight of the two vector channels in the loss against 1 for each latent channel (1 =
    /// the paper's plain average over all 2 + C channels, where the motion is 2 / (2 + C) of it).
    /// </summary>
    public double VectorLossWeight { get; init; } = 1.0;

    /// <summary>
    /// ED-VDM: loss weight of the active blocks (a non-zero vector, or residual latents whose RMS
    /// over channels exceeds <see cref="ActiveBlockThreshold"/>) against 1 for a still block with
    /// no residual. 1 = every block counts the same (the paper). Scale changes such as grow and
    /// shrink live in the residual latents of a few edge blocks, which a plain average drowns.
    /// </summary>
    public double ActiveBlockLossWeight { get; init; } = 1.0;

    /// <summary>ED-VDM: RMS over the residual latent channels (scaled units) above which a block counts as active.</summary>
    public double ActiveBlockThreshold { get; init; } = 0.5;

    /// <summary>ED-VDM: the codec's settings (blocks as large as the autoencoder's downsampling).</summary>
    public BlockMotionOptions Codec() => new()
    {
        BlockSize = Vae?.DownsamplingFactor ?? throw new InvalidOperationException("only ED-VDM configs have a codec"),
        SearchRange = SearchRange,
        VectorCost = VectorCost,
    };

    /// <summary>Frames per clip (K), first frame included.</summary>
    public required int Frames { get; init; }

    /// <summary>Frame height.</summary>
    public required int Height { get; init; }

    /// <summary>Frame width.</summary>
    public required int Width { get; init; }

    /// <summary>The denoiser; its in/out channels match the target space.</summary>
    public required UNet3DConfig UNet { get; init; }

    /// <summary>
    /// What the U-Net predicts: eps (equation 6 of the paper) or v (VDM's choice; the CLI's default).
    /// With few training steps an eps model's samples stayed noise on shapes, because DDIM's first
    /// x0 estimates at alphaBar near 0 amplify its eps errors hundreds of times; v keeps them bounded.
    /// </summary>
    public PredictionType Prediction { get; init; } = PredictionType.Epsilon;

    /// <summary>
    /// lambda(t) of equation 6. Uniform is the paper's simple objective; min-SNR-gamma (Hang et al.
    /// 2023) moves weight from the nearly clean timesteps, where a v loss is largest, to the noisy
    /// ones that decide where things move.
    /// </summary>
    public LossWeighting Weighting { get; init; } = LossWeighting.Uniform;

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

    /// <summary>
    /// Whether the U-Net sees the given first frame through tau (image-to-video). False only for a
    /// VDM made with <see cref="VideoDiffusionConfigs.WithoutFirstFrame"/>: label/caption-to-video,
    /// the VDM that the VideoFusion paper compares against.
    /// </summary>
    public bool UsesFirstFrame() => UNet.FirstFrameChannels > 0;
}

/// <summary>The standard VDM / D-VDM configurations the CLI and benchmarks build.</summary>
public static class VideoDiffusionConfigs
{
    /// <summary>
    /// An ED-VDM model for K x size x size clips: the U-Net works on the block grid (size / block)
    /// over 2 vector + C latent channels, with the first-frame feature map shrunk by the block size
    /// (space-to-depth) and spatial attention at its coarsest level.
    /// </summary>
    public static VideoDiffusionConfig CreateEdVdm(int frames, int size, int width, IReadOnlyList<int> multipliers,
        ConditionKind condition, IReadOnlyList<string> classNames, ResidualVaeConfig vae, int searchRange, double latentScale, string dataset = "shapes",
        PredictionType prediction = PredictionType.Epsilon, double vectorScale = 1.0, int vectorCost = 0)
    {
        ArgumentNullException.ThrowIfNull(vae);
        int block = vae.DownsamplingFactor;
        if (size % block != 0) throw new UserInputException($"ED-VDM needs a frame size that is a multiple of the block size {block}, got {size}");
        var pixels = Create("vdm", frames, size, width, multipliers, condition, classNames, dataset, prediction: prediction);
        return pixels with
        {
            ModelType = "ed-vdm", TargetSpace = "motion-residuals", Vae = vae, SearchRange = searchRange, LatentScale = latentScale, VectorScale = vectorScale, VectorCost = vectorCost,
            UNet = pixels.UNet with
            {
                InChannels = 2 + vae.LatentChannels, OutChannels = 2 + vae.LatentChannels, FirstFrameFactor = block,
            },
        };
    }

    /// <summary>
    /// <paramref name="config"/> without the first-frame encoder: a VDM that generates the whole clip,
    /// first frame included, from its label or caption alone. D-VDM and ED-VDM rebuild the video
    /// from the given first frame, so they cannot drop it.
    /// </summary>
    public static VideoDiffusionConfig WithoutFirstFrame(VideoDiffusionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.TargetSpace != "pixels")
            throw new UserInputException($"{config.ModelType} rebuilds the video from the given first frame; only vdm can leave it out");
        return config with { UNet = config.UNet with { FirstFrameChannels = 0, FirstFrameFactor = 1 } };
    }

    /// <summary>
    /// A VDM ("vdm") or D-VDM ("d-vdm") model for K x size x size clips: a U-Net of the given base
    /// width and multipliers with spatial attention at the coarsest level, temporal attention at
    /// every level (4 heads of width/4 channels, at least 8, so attention is as wide as the first
    /// level rather than VDM's fixed 4 x 32, which dominated CPU time at small widths), a
    /// 16-channel first-frame feature map at full resolution, and absolute frame positions
    /// (<see cref="UNet3DConfig.FramePositions"/>).
    /// </summary>
    public static VideoDiffusionConfig Create(string modelType, int frames, int size, int width, IReadOnlyList<int> multipliers,
        ConditionKind condition, IReadOnlyList<string> classNames, string dataset = "shapes", double differenceScale = 0.5,
        PredictionType prediction = PredictionType.Epsilon)
    {
        if (modelType is not ("vdm" or "d-vdm"))
            throw new UserInputException($"model must be vdm or d-vdm, got '{modelType}'");
        return new VideoDiffusionConfig
        {
            ModelType = modelType,
            TargetSpace = modelType == "vdm" ? "pixels" : "frame-differences",
            Frames = frames, Height = size, Width = size, DifferenceScale = differenceScale, Prediction = prediction,
            Condition = condition, ClassNames = classNames, Dataset = dataset,
            UNet = new UNet3DConfig
            {
                InChannels = 3, OutChannels = 3, BaseChannels = width, ChannelMultipliers = multipliers,
                AttentionLevels = [multipliers.Count - 1], AttentionHeads = 4, AttentionHeadDim = Math.Max(8, width / 4), MaxFrames = Math.Max(32, frames),
                NumClasses = condition == ConditionKind.Label ? classNames.Count : null,
                TextDim = condition == ConditionKind.Text ? TextEncoderConfig.DefaultSmall.Small!.EmbeddingDim : null,
                FirstFrameChannels = 16, FirstFrameFactor = 1, FramePositions = true,
            },
        };
    }
}
