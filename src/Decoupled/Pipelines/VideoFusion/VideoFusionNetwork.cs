using Decoupled.Nn.Conditioning;
using Decoupled.Nn.Text;
using Decoupled.Nn.UNet;
using Decoupled.Pipelines.VideoDiffusion;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>
/// The trainable part of VideoFusion: the base generator z^b_phi (a 2D U-Net run once per step on the
/// base frame), the residual generator z^r_psi (a 2D U-Net run on every other frame, told the frame
/// index i), and, for captions, the small text encoder both share. State-dict names:
/// <c>base_generator.*</c>, <c>residual_generator.*</c>, <c>text_encoder.*</c>; a "videofusion-base"
/// checkpoint holds the first and last only, so it loads into a full model by name.
/// </summary>
public sealed class VideoFusionNetwork : nn.Module
{
    private readonly UNet3D base_generator;
    private readonly UNet3D? residual_generator;
    private readonly nn.Module? text_encoder;
    private readonly ITextEncoder? textEncoder;

    /// <summary>Builds the networks of <paramref name="config"/> (no residual generator for "videofusion-base").</summary>
    public VideoFusionNetwork(VideoFusionConfig config) : base(nameof(VideoFusionNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        base_generator = new UNet3D(config.Base);
        if (config.Residual is not null) residual_generator = new UNet3D(config.Residual);
        if (config.Condition == ConditionKind.Text)
        {
            textEncoder = TextEncoders.Create(config.Text ?? TextEncoderConfig.DefaultSmall);
            if (textEncoder.IsTrainable) text_encoder = textEncoder.Module;
        }
        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public VideoFusionConfig Config { get; }

    /// <summary>z^b_phi.</summary>
    public UNet3D BaseGenerator => base_generator;

    /// <summary>z^r_psi; null in a "videofusion-base" network.</summary>
    public UNet3D? ResidualGenerator => residual_generator;

    /// <summary>
    /// Whether the residual generator is conditioned on the base frame's denoised estimate through its
    /// first-frame encoder (<see cref="VideoFusionConfig.ResidualSeesBase"/>).
    /// </summary>
    public bool ResidualSeesBase => Config.ResidualSeesBase;

    /// <summary>Parameters of the base generator (for the freeze and the smaller learning rate of section 3.4).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> BaseParameters => base_generator.parameters();

    /// <summary>The U-Net conditioning of a batch: class ids, or caption vectors encoded once for both generators, and the drop mask.</summary>
    public UNetConditioning Conditioning(VideoFusionCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Tensor? text = null;
        if (textEncoder is not null)
            text = textEncoder.EncodePooled(condition.Captions ?? throw new ArgumentException("this model is conditioned on captions, but none were given"));
        return new UNetConditioning(
            ClassIds: Config.Condition == ConditionKind.Label ? condition.ClassIds : null,
            Text: text,
            DropMask: Config.Condition == ConditionKind.None ? null : condition.DropMask);
    }

    /// <summary>z^b_phi(z^{base}_t, t): eps of the base frames <c>[B, C, 1, H, W]</c>.</summary>
    public Tensor PredictBase(Tensor baseFrame, Tensor t, UNetConditioning conditioning) => base_generator.call(baseFrame, t, conditioning);

    /// <summary>
    /// z^r_psi(z'_i, t, i) for the frames <paramref name="zPrime"/> <c>[B, C, M, H, W]</c> with frame
    /// indices <paramref name="frameIndices"/> <c>[M]</c>: the M frames of every clip run as one batch of
    /// B*M single frames, each with its clip's timestep and condition, and, when
    /// <see cref="ResidualSeesBase"/>, its clip's base-frame estimate <paramref name="baseEstimate"/> <c>[B, C, 1, H, W]</c>.
    /// </summary>
    public Tensor PredictResidual(Tensor zPrime, Tensor t, Tensor frameIndices, UNetConditioning conditioning, Tensor? baseEstimate = null)
    {
        if (ResidualSeesBase != baseEstimate is not null)
            throw new ArgumentException(ResidualSeesBase
                ? "this residual generator is conditioned on the base frame: pass its estimate [B, C, 1, H, W]"
                : "this residual generator is not conditioned on the base frame, but an estimate was given");
        var residual = residual_generator ?? throw new InvalidOperationException("a videofusion-base network has no residual generator");
        long b = zPrime.shape[0], c = zPrime.shape[1], m = zPrime.shape[2], h = zPrime.shape[3], w = zPrime.shape[4];
        using var scope = NewDisposeScope();
        var frames = zPrime.permute(0, 2, 1, 3, 4).reshape(b * m, c, 1, h, w);
        var perFrame = new UNetConditioning(
            ClassIds: conditioning.ClassIds?.repeat_interleave(m, 0),
            Text: conditioning.Text?.repeat_interleave(m, 0),
            DropMask: conditioning.DropMask?.repeat_interleave(m, 0),
            FrameIndex: frameIndices.to(ScalarType.Int64).repeat(b),
            FirstFrame: baseEstimate?.squeeze(2).repeat_interleave(m, 0));
        var output = residual.call(frames, t.repeat_interleave(m, 0), perFrame);
        return output.reshape(b, m, c, h, w).permute(0, 2, 1, 3, 4).contiguous().MoveToOuterDisposeScope();
    }
}

/// <summary>What a VideoFusion batch is conditioned on.</summary>
/// <param name="ClassIds">Class ids <c>[B]</c> (int64) for label models.</param>
/// <param name="Captions">Captions for text models.</param>
/// <param name="DropMask">Bool <c>[B]</c>: true where the label/caption is replaced by the learned null (classifier-free guidance).</param>
public sealed record VideoFusionCondition(Tensor? ClassIds = null, IReadOnlyList<string>? Captions = null, Tensor? DropMask = null);
