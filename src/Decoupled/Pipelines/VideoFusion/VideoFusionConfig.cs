using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Text;
using Decoupled.Nn.UNet;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.VideoDiffusion;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// Everything needed to rebuild, train and sample a VideoFusion model; stored as the checkpoint's
/// <c>config.json</c> (snake_case). <c>model_type</c> "videofusion" is the full model; "videofusion-base"
/// is the base generator pre-trained alone as an image diffusion model (section 3.4), whose
/// <see cref="Residual"/> is null.
/// </summary>
public sealed record VideoFusionConfig : IModelConfig
{
    /// <summary>The full model's <c>model_type</c>.</summary>
    public const string FullType = "videofusion";

    /// <summary>The pre-trained base generator's <c>model_type</c>.</summary>
    public const string BaseType = "videofusion-base";

    /// <summary>"videofusion" or "videofusion-base".</summary>
    public string ModelType { get; init; } = FullType;

    /// <summary>Frames per clip N (the residual generator tells this many frame indices apart).</summary>
    public required int Frames { get; init; }

    /// <summary>Frame height.</summary>
    public required int Height { get; init; }

    /// <summary>Frame width.</summary>
    public required int Width { get; init; }

    /// <summary>lambda_i per frame (equation 7); 1 at the base frame floor(N/2).</summary>
    public required IReadOnlyList<double> Lambda { get; init; }

    /// <summary>The base generator z^b_phi: a 2D image U-Net (no temporal attention) predicting eps of the base frame.</summary>
    public required UNet3DConfig Base { get; init; }

    /// <summary>The residual generator z^r_psi: a 2D U-Net on each non-base frame, with a frame-index embedding; null for "videofusion-base".</summary>
    public UNet3DConfig? Residual { get; init; }

    /// <summary>
    /// Whether the residual generator also sees the base frame's denoised estimate x0^base (without
    /// gradient), through a first-frame encoder (its <c>first_frame_channels</c> > 0). Not in the paper,
    /// which ties the frames' content by conditioning both generators on a CLIP image embedding of the
    /// central frame (section 4.1); without either, the shared base noise alone leaves each frame free
    /// to draw other content.
    /// </summary>
    public bool ResidualSeesBase => Residual is { FirstFrameChannels: > 0 };

    /// <summary>Keep the base generator fixed (Table 7, "Fixed").</summary>
    public bool FreezeBase { get; init; }

    /// <summary>Stop the non-base frames' gradients at the base prediction (equation 14's [.]_sg; Table 7).</summary>
    public bool StopGradient { get; init; } = true;

    /// <summary>Learning rate of the base generator as a multiple of the run's (a pre-trained base is fine-tuned more gently, section 3.4).</summary>
    public double BaseLearningRateScale { get; init; } = 1.0;

    /// <summary>
    /// Section 4.7's training guidance: in a mini-batch, clips of the same subject share the base noise
    /// and clips of the same action share the residual noise.
    /// </summary>
    public bool ShareNoiseByLabel { get; init; }

    /// <summary>
    /// What the generators predict: eps (equations 12-13 as printed; the default of older checkpoints)
    /// or v (<c>DecomposedDenoiser.PredictVelocity</c>; the CLI's default, as for VDM).
    /// </summary>
    public PredictionType Prediction { get; init; } = PredictionType.Epsilon;

    /// <summary>lambda(t) of the loss (uniform: equation 14 as printed; min-SNR-gamma as for VDM).</summary>
    public LossWeighting Weighting { get; init; } = LossWeighting.Uniform;

    /// <summary>Noise schedule (cosine, as Table 8).</summary>
    public NoiseScheduleConfig Schedule { get; init; } = new(NoiseScheduleKind.Cosine);

    /// <summary>Label, text or none (unconditional).</summary>
    public ConditionKind Condition { get; init; } = ConditionKind.Label;

    /// <summary>Class names in id order.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Text encoder (when <see cref="Condition"/> is text); both generators share it.</summary>
    public TextEncoderConfig? Text { get; init; }

    /// <summary>Probability of dropping the label/caption in training (classifier-free guidance).</summary>
    public double ConditionDropProbability { get; init; } = 0.1;

    /// <summary>Training data ("shapes" or a folder path), for reports.</summary>
    public string Dataset { get; init; } = "shapes";

    /// <summary>The noise decomposition of <see cref="Lambda"/>.</summary>
    public DecomposedNoise Noise() => new(Lambda);

    /// <summary>Throws a <see cref="UserInputException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        if (ModelType is not (FullType or BaseType)) throw new UserInputException($"model_type must be {FullType} or {BaseType}, got '{ModelType}'");
        if (Frames < 1 || Height < 1 || Width < 1) throw new UserInputException($"frames, height and width must be positive, got {Frames}x{Height}x{Width}");
        if (Lambda is null || Lambda.Count != Frames) throw new UserInputException($"lambda needs one value per frame ({Frames}), got {Lambda?.Count ?? 0}");
        if (Prediction is not (PredictionType.Epsilon or PredictionType.Velocity)) throw new UserInputException($"VideoFusion's generators predict eps or v, got {Prediction}");
        try
        {
            _ = Noise();
            Base.Validate();
            Residual?.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message, e);
        }
        if (Base.TemporalAttention || Base.FirstFrameChannels > 0) throw new UserInputException("the base generator is a 2D image U-Net: no temporal attention, no first frame");
        if (ModelType == FullType && Residual is null) throw new UserInputException("a videofusion model needs a residual generator");
        if (Residual is { } r && (r.TemporalAttention || r.FrameIndices < Frames || r.FirstFrameFactor != 1))
            throw new UserInputException($"the residual generator is a 2D U-Net with an embedding of at least {Frames} frame indices (and a base-frame encoder at full size, if any)");
        if (!(BaseLearningRateScale >= 0 && double.IsFinite(BaseLearningRateScale)))
            throw new UserInputException($"base learning-rate scale must be a finite number >= 0, got {BaseLearningRateScale}");
        if (!(ConditionDropProbability >= 0 && ConditionDropProbability <= 1))
            throw new UserInputException($"condition drop probability must lie in [0, 1], got {ConditionDropProbability}");
        if (Base.InputSizeProblem(1, Height, Width) is { } problem) throw new UserInputException(problem);
    }
}
