using Decoupled.Metrics.Features;
using Decoupled.Video;
using static TorchSharp.torch;

namespace Decoupled.Tests.Metrics.Features;

/// <summary>
/// The torch.jit.load path with the hand-made TorchScript archives of fixtures/metrics (written by
/// make_torchscript_detectors.py): same signatures as StyleGAN-V's I3D and StyleGAN2-ADA's Inception,
/// outputs that are simple functions of the per-channel means.
/// </summary>
public class TorchScriptDetectorTests
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics", name);

    /// <summary>A clip whose every pixel is (r, g, b).</summary>
    public static VideoClip Solid(byte r, byte g, byte b, int frames = 4, int size = 8)
    {
        var clip = new VideoClip(frames, size, size);
        for (int i = 0; i < clip.Pixels.Length; i += 3) (clip.Pixels[i], clip.Pixels[i + 1], clip.Pixels[i + 2]) = (r, g, b);
        return clip;
    }

    [Fact]
    public void I3dIsCalledWithRescaleResizeAndReturnFeatures()
    {
        using var i3d = I3dFeatureExtractor.Load(Fixture("tiny_i3d.pt"));
        using var input = DetectorInput.Clips([Solid(100, 200, 0), Solid(255, 0, 51)]);
        using var features = i3d.Features(input);
        Assert.Equal(new long[] { 2, 4 }, features.shape);
        var f = features.to(ScalarType.Float64).data<double>().ToArray();
        // rescale: m / 127.5 - 1; resize: x2 (the fixture's stand-in); return_features: [r, g, b, r*g].
        double[] Expected(double r, double g, double b)
        {
            double R = 2 * (r / 127.5 - 1), G = 2 * (g / 127.5 - 1), B = 2 * (b / 127.5 - 1);
            return [R, G, B, R * G];
        }
        Assert.Equal([.. Expected(100, 200, 0), .. Expected(255, 0, 51)], f, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void InceptionGivesFeaturesAndBiasFreeProbabilities()
    {
        using var inception = InceptionFeatureExtractor.Load(Fixture("tiny_inception.pt"));
        using var frames = DetectorInput.Frames([Solid(51, 102, 255, frames: 3)]);
        Assert.Equal(new long[] { 3, 3, 8, 8 }, frames.shape);
        using var features = inception.Features(frames);
        Assert.Equal(new long[] { 3, 4 }, features.shape);
        Assert.Equal([0.2, 0.4, 1.0, 0.2], features[0].to(ScalarType.Float64).data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        using var probabilities = inception.Probabilities(frames);
        // no_output_bias=True: softmax of [r, g, b, r - g, g * b] without the fixture's "bias" (+1, x3).
        double[] logits = [0.2, 0.4, 1.0, -0.2, 0.4];
        double sum = logits.Sum(Math.Exp);
        Assert.Equal(logits.Select(l => Math.Exp(l) / sum).ToArray(), probabilities[2].to(ScalarType.Float64).data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void MissingOrBrokenFilesAreOneLineErrorsNamingTheFile()
    {
        var missing = Fixture("no_such_i3d.pt");
        var e = Assert.Throws<UserInputException>(() => I3dFeatureExtractor.Load(missing));
        Assert.Contains(missing, e.Message);
        var garbage = Fixture("lpips_reference.json");
        e = Assert.Throws<UserInputException>(() => InceptionFeatureExtractor.Load(garbage));
        Assert.Contains(garbage, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void ANetworkWithTheWrongSignatureFailsWithTheFileName()
    {
        // The Inception archive takes images; a 5-d clip batch makes its forward fail inside libtorch.
        using var wrong = TorchScriptNetwork.Load(Fixture("tiny_inception.pt"), "test network");
        using var clips = DetectorInput.Clips([Solid(1, 2, 3)]);
        var e = Assert.Throws<UserInputException>(() => wrong.Forward2d(clips, 1, true, true, true));
        Assert.Contains("tiny_inception.pt", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
