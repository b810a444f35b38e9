using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>
/// FID and IS from StyleGAN2-ADA's TorchScript Inception-v3 (<c>inception-2015-12-05.pt</c>, the
/// TensorFlow FID network ported), called as StyleGAN2-ADA's <c>metrics/frechet_inception_distance.py</c>
/// and <c>metrics/inception_score.py</c> call it. Its signature is
/// <c>forward(img, return_features=False, use_fp16=False, no_output_bias=False)</c> with <c>img</c> a
/// <c>uint8</c> <c>[N, 3, H, W]</c> batch in 0..255 (it resizes to 299x299 itself):
/// <c>return_features=True</c> gives the 2048 pool features (FID), <c>no_output_bias=True</c> gives the
/// softmax over the 1008 classes computed without the output bias (IS, as the original TF code).
/// </summary>
public sealed class InceptionFeatureExtractor : IImageFeatureExtractor
{
    /// <summary>Where StyleGAN2-ADA publishes the network.</summary>
    public const string WeightsUrl = "https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/inception-2015-12-05.pt";

    private readonly TorchScriptNetwork network;

    private InceptionFeatureExtractor(TorchScriptNetwork network) => this.network = network;

    /// <summary>Loads the TorchScript file at <paramref name="path"/> (a <see cref="UserInputException"/> naming it when that fails).</summary>
    public static InceptionFeatureExtractor Load(string path) => new(TorchScriptNetwork.Load(path, "Inception network (--inception, StyleGAN2-ADA's inception-2015-12-05.pt)"));

    /// <inheritdoc />
    public Tensor Features(Tensor images) => Call(images, returnFeatures: true, noOutputBias: false);

    /// <inheritdoc />
    public Tensor Probabilities(Tensor images) => Call(images, returnFeatures: false, noOutputBias: true);

    private Tensor Call(Tensor images, bool returnFeatures, bool noOutputBias)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"expected images [N, 3, H, W], got [{string.Join(", ", images.shape)}]");
        // Positional: return_features, use_fp16 (off: float32 as the reference), no_output_bias.
        return network.Forward2d(images, images.shape[0], returnFeatures, false, noOutputBias);
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();
}
