using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>
/// FVD / KVD features from StyleGAN-V's TorchScript port of the Kinetics-400 I3D that the original
/// TensorFlow FVD uses (<c>i3d_torchscript.pt</c>). It follows StyleGAN-V's
/// <c>src/metrics/frechet_video_distance.py</c> and <c>metric_utils.py</c> exactly: clips go in as
/// <c>uint8</c> <c>[B, 3, T, H, W]</c> in 0..255 and the detector is called with
/// <c>detector_kwargs = dict(rescale=True, resize=True, return_features=True)</c>: the network maps
/// 0..255 to its input range and resizes to 224x224 itself, and returns the 400 raw logits before the
/// softmax, already pooled over time (<c>[B, 400]</c>; StyleGAN-V's comment: "Return raw features before
/// the softmax layer"). With <c>return_features=False</c> it returns its class prediction instead, which
/// FVD does not use, so this class never asks for it. The signature is
/// <c>forward(x, rescale, resize, return_features)</c>; the flags are passed in that order.
/// </summary>
public sealed class I3dFeatureExtractor : IVideoFeatureExtractor
{
    /// <summary>Where StyleGAN-V publishes the network.</summary>
    public const string WeightsUrl = "https://www.dropbox.com/s/ge9e5ujwgetktms/i3d_torchscript.pt?dl=1";

    private readonly TorchScriptNetwork network;

    private I3dFeatureExtractor(TorchScriptNetwork network) => this.network = network;

    /// <summary>Loads the TorchScript file at <paramref name="path"/> (a <see cref="UserInputException"/> naming it when that fails).</summary>
    public static I3dFeatureExtractor Load(string path) => new(TorchScriptNetwork.Load(path, "I3D network (--i3d, StyleGAN-V's i3d_torchscript.pt)"));

    /// <inheritdoc />
    public Tensor Features(Tensor clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.dim() != 5 || clips.shape[1] != 3)
            throw new ArgumentException($"expected clips [B, 3, T, H, W], got [{string.Join(", ", clips.shape)}]");
        return network.Forward2d(clips, clips.shape[0], true, true, true);
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();
}
