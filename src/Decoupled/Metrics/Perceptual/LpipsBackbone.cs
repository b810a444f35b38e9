namespace Decoupled.Metrics.Perceptual;

/// <summary>The ImageNet trunks LPIPS v0.1 is published with (the <c>net</c> argument of <c>lpips.LPIPS</c>).</summary>
public enum LpipsBackbone
{
    /// <summary>AlexNet (<c>net='alex'</c>): the paper's recommended "forward metric"; widths 64, 192, 384, 256, 256.</summary>
    Alex,

    /// <summary>VGG16 (<c>net='vgg'</c>): closer to traditional perceptual losses; widths 64, 128, 256, 512, 512.</summary>
    Vgg16,
}
