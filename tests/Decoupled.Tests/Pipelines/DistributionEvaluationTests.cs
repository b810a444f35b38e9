using Decoupled.Metrics.Distribution;
using Decoupled.Metrics.Features;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Tests.Metrics.Features;
using Decoupled.Video;

namespace Decoupled.Tests.Pipelines;

public class DistributionEvaluationTests
{
    private static readonly string[] All = ["fvd", "kvd", "cfvd", "sfvd", "fid", "is"];

    // Plain C# twin of MeanColourExtractor: per-channel means of some frames in [0, 1] and their products.
    private static double[] MeanColour(VideoClip clip, int firstFrame, int frames)
    {
        var sums = new double[3];
        for (int t = firstFrame; t < firstFrame + frames; t++)
        {
            var frame = clip.Frame(t);
            for (int i = 0; i < frame.Length; i++) sums[i % 3] += frame[i];
        }
        double count = (double)frames * clip.Height * clip.Width * 255;
        double r = sums[0] / count, g = sums[1] / count, b = sums[2] / count;
        return [r, g, b, r * g, g * b, r * b];
    }

    private static VideoClip Brighter(VideoClip clip, int seed)
    {
        var random = new Random(seed);
        var copy = clip.Clone();
        int shift = random.Next(10, 60);
        for (int i = 0; i < copy.Pixels.Length; i++) copy.Pixels[i] = (byte)Math.Min(255, copy.Pixels[i] + (i % 3 == 1 ? shift : shift / 2));
        return copy;
    }

    [Fact]
    public void IdenticalSetsScoreZero()
    {
        var real = ShapesEvaluationSet.Create(22, 8, 32, 32, seed: 1);
        using var net = new MeanColourExtractor();
        var report = DistributionEvaluation.Run(real, real.Select(c => c.Clip.Clone()).ToList(), real, All, net, net,
            new DistributionEvaluationOptions { BatchSize = 5, Kvd = new KernelDistanceOptions { Subsets = 10 } });
        Assert.InRange(report.Metrics["fvd"].Mean, -1e-9, 1e-9);
        Assert.InRange(report.Metrics["fid"].Mean, -1e-9, 1e-9);
        Assert.InRange(report.Metrics["cfvd"].Mean, -1e-9, 1e-9);
        Assert.InRange(report.Metrics["sfvd"].Mean, -1e-9, 1e-9);
        Assert.InRange(Math.Abs(report.Metrics["kvd"].Mean), 0, 1e-3);
        Assert.Equal(10, report.Metrics["is"].N);
        Assert.Equal(22, report.Metrics["fvd"].N);
        Assert.Equal(11, report.ClassGroups!.Groups.Count);
    }

    [Fact]
    public void MetricsAreTheDistributionMathOnTheNetworksFeatures()
    {
        var real = ShapesEvaluationSet.Create(22, 8, 32, 32, seed: 2);
        var fake = real.Select((c, i) => Brighter(c.Clip, i)).ToList();
        using var net = new MeanColourExtractor();
        var kvd = new KernelDistanceOptions { Subsets = 7, SubsetSize = 15, Seed = 4 };
        var report = DistributionEvaluation.Run(real, fake, real, All, net, net, new DistributionEvaluationOptions { BatchSize = 3, Kvd = kvd });

        FeatureMatrix Clips(IEnumerable<VideoClip> clips) => clips.Select(c => MeanColour(c, 0, c.Frames)).ToArray();
        FeatureMatrix Frames(IEnumerable<VideoClip> clips) => clips.SelectMany(c => Enumerable.Range(0, c.Frames).Select(t => MeanColour(c, t, 1))).ToArray();
        var realClips = real.Select(c => c.Clip).ToList();
        // FVD and FID divide covariances by N, as StyleGAN-V's FeatureStats does.
        const CovarianceEstimator byN = CovarianceEstimator.Population;
        double fvd = FrechetDistance.FromFeatures(Clips(realClips), Clips(fake), byN);
        Assert.True(fvd > 1e-4, $"a brighter set scored FVD {fvd}");
        Assert.Equal(fvd, report.Metrics["fvd"].Mean, 1e-9);
        Assert.Equal(KernelDistance.Compute(Clips(realClips), Clips(fake), kvd), report.Metrics["kvd"]);
        Assert.Equal(FrechetDistance.FromFeatures(Frames(realClips), Frames(fake), byN), report.Metrics["fid"].Mean, 1e-9);
        Assert.Equal(22 * 8, report.Metrics["fid"].N);
        var classes = GroupedFrechet.Compute(Clips(realClips), real.Select(c => c.ClassId).ToList(), Clips(fake), real.Select(c => c.ClassId).ToList(), estimator: byN);
        Assert.Equal(classes.Summary.Mean, report.Metrics["cfvd"].Mean, 1e-9);
        Assert.Equal(classes.Summary.N, report.Metrics["cfvd"].N);

        var softmax = fake.SelectMany(c => Enumerable.Range(0, c.Frames).Select(t =>
        {
            var f = MeanColour(c, t, 1);
            double sum = f.Sum(Math.Exp);
            return f.Select(v => Math.Exp(v) / sum).ToArray();
        })).ToArray();
        var expectedIs = InceptionScore.FromProbabilities(softmax);
        Assert.Equal(expectedIs.Mean, report.Metrics["is"].Mean, 1e-9);
        Assert.Equal(expectedIs.Std, report.Metrics["is"].Std, 1e-9);
    }

    [Fact]
    public void TheTorchScriptI3dRunsThroughThePipeline()
    {
        var real = ShapesEvaluationSet.Create(11, 8, 32, 32, seed: 3);
        using var i3d = I3dFeatureExtractor.Load(TorchScriptDetectorTests.Fixture("tiny_i3d.pt"));
        var report = DistributionEvaluation.Run(real, real.Select(c => c.Clip.Clone()).ToList(), null, ["fvd", "kvd"], i3d, null,
            new DistributionEvaluationOptions { Kvd = new KernelDistanceOptions { Subsets = 3 } });
        Assert.InRange(report.Metrics["fvd"].Mean, -1e-6, 1e-6);
        Assert.Null(report.ClassGroups);
    }

    [Fact]
    public void MissingNetworksAndUngroupableSetsAreUserErrors()
    {
        var real = ShapesEvaluationSet.Create(4, 8, 32, 32);
        var fake = real.Select(c => c.Clip).ToList();
        using var net = new MeanColourExtractor();
        Assert.Contains("--i3d", Assert.Throws<UserInputException>(() => DistributionEvaluation.Run(real, fake, real, ["fvd"], null, net)).Message);
        Assert.Contains("--inception", Assert.Throws<UserInputException>(() => DistributionEvaluation.Run(real, fake, real, ["is"], net, null)).Message);
        // Four clips of four actions: no class has two of each.
        Assert.Contains("cfvd", Assert.Throws<UserInputException>(() => DistributionEvaluation.Run(real, fake, real, ["cfvd"], net, null)).Message);
        Assert.False(DistributionEvaluation.CanGroup(real, null, bySubject: false));
    }
}
