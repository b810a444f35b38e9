using Decoupled.Nn.Conditioning;
using Decoupled.Nn.Autoencoders;
using Decoupled.Nn.Text;
using Decoupled.Nn.UNet;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>
/// The trainable network of VDM / D-VDM: epsilon_theta(x_t, t, first frame, label or caption),
/// a <see cref="UNet3D"/> plus, for captions, the text encoder (trained jointly when it is the small
/// one; a frozen CLIP stays outside the parameters and the checkpoint).
/// </summary>
public sealed class VideoDiffusionNetwork : nn.Module<Tensor, Tensor, VideoCondition, Tensor>
{
    private readonly UNet3D unet;
    private readonly nn.Module? text_encoder;
    private readonly ITextEncoder? textEncoder;
    private readonly ResidualVae? residual_vae;

    /// <summary>Builds the network of <paramref name="config"/>.</summary>
    public VideoDiffusionNetwork(VideoDiffusionConfig config) : base(nameof(VideoDiffusionNetwork))
    {
        Config = config;
        unet = new UNet3D(config.UNet);
        if (config.Condition == ConditionKind.Text)
        {
            textEncoder = TextEncoders.Create(config.Text ?? TextEncoderConfig.DefaultSmall);
            if (textEncoder.IsTrainable) text_encoder = textEncoder.Module;
        }
        if (config.Vae is not null)
        {
            // ED-VDM's autoencoder rides along (frozen) so the checkpoint holds everything needed to sample.
            residual_vae = new ResidualVae(config.Vae);
            foreach (var p in residual_vae.parameters()) p.requires_grad = false;
        }
        RegisterComponents();
    }

    /// <summary>ED-VDM's frozen residual autoencoder; null for VDM and D-VDM.</summary>
    public ResidualVae? ResidualVae => residual_vae;

    /// <summary>The configuration.</summary>
    public VideoDiffusionConfig Config { get; }

    /// <summary>The denoiser.</summary>
    public UNet3D UNet => unet;

    /// <inheritdoc />
    public override Tensor forward(Tensor noisy, Tensor timesteps, VideoCondition condition)
    {
        using var scope = NewDisposeScope();
        Tensor? text = null;
        if (textEncoder is not null)
        {
            if (condition.Captions is null) throw new ArgumentException("this model is conditioned on captions, but none were given");
            text = textEncoder.EncodePooled(condition.Captions);
        }
        var unetCondition = new UNetConditioning(
            ClassIds: Config.Condition == ConditionKind.Label ? condition.ClassIds : null,
            Text: text, FirstFrame: condition.FirstFrame, DropMask: condition.DropMask);
        return unet.call(noisy, timesteps, unetCondition).MoveToOuterDisposeScope();
    }
}
