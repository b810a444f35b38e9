using Decoupled.Generators.Diffusion;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;

namespace Decoupled.Tests.Pipelines;

[Collection(TorchRngCollection.Name)]
public sealed class TargetCacheTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("target-cache-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static bool Same(torch.Tensor a, torch.Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static ShapesClipSource Source() => new(frames: 4, height: 16, width: 16, seed: 3);

    [Fact]
    public void CachedTargetsAndFirstFramesAreExactlyTheOnTheFlyOnes()
    {
        TorchRuntime.Initialize();
        var space = new FrameDifferenceTargetSpace(4.0);
        using var cache = TargetCache.Build(Source(), space, count: 5, chunk: 2);
        Assert.Equal(5, cache.Count);
        Assert.Equal(new long[] { 3, 3, 16, 16 }, cache.TargetShape);

        // Clips 2 and 3 of the cache are the batch of step 1 (chunk 2); find them among an epoch's draws.
        using var reference = VideoBatch.Draw(Source(), step: 1, batchSize: 2);
        using var expected = space.Encode(reference.Video);
        var seen = new List<(torch.Tensor Target, torch.Tensor First, string Caption)>();
        for (long step = 0; step < 5; step++)
        {
            var batch = cache.Draw(step, batchSize: 1, seed: 9);
            Assert.Equal(new long[] { 1, 3, 1, 16, 16 }, batch.Video.shape);
            seen.Add((batch.Target!, batch.Video, batch.Captions[0]));
        }
        for (int i = 0; i < 2; i++)
        {
            var match = seen.Single(s => s.Caption == reference.Captions[i] && Same(s.Target, expected.narrow(0, i, 1)));
            Assert.True(Same(match.First, reference.Video.narrow(0, i, 1).narrow(2, 0, 1)));
        }
    }

    [Fact]
    public void AnEpochDrawsEveryClipOnceInASeededOrder()
    {
        TorchRuntime.Initialize();
        var space = new FrameDifferenceTargetSpace(4.0);
        using var cache = TargetCache.Build(Source(), space, count: 6, chunk: 4);
        // A clip is known by the sum of its target; the 6 sums differ.
        float[] Sums(TargetCache c, long epoch, long seed) =>
            Enumerable.Range(0, 3).SelectMany(s =>
            {
                using var batch = c.Draw(epoch * 3 + s, batchSize: 2, seed);
                return batch.Target!.sum([1, 2, 3, 4]).data<float>().ToArray();
            }).ToArray();

        var epoch0 = Sums(cache, 0, seed: 1);
        using var whole = cache.Draw(0, 6, seed: 1);
        var everyClip = whole.Target!.sum([1, 2, 3, 4]).data<float>().Order().ToArray();
        Assert.Equal(6, everyClip.Distinct().Count());
        Assert.Equal(everyClip, epoch0.Order().ToArray());
        Assert.Equal(everyClip, Sums(cache, 1, seed: 1).Order().ToArray());
        Assert.Equal(epoch0, Sums(cache, 0, seed: 1));
        Assert.NotEqual(epoch0, Sums(cache, 1, seed: 1));
        Assert.NotEqual(epoch0, Sums(cache, 0, seed: 2));
    }

    [Fact]
    public void SaveLoadRoundTripsAndOtherFilesAreRejected()
    {
        TorchRuntime.Initialize();
        var space = new FrameDifferenceTargetSpace(4.0);
        using var cache = TargetCache.Build(Source(), space, count: 3);
        var path = Path.Combine(dir, "cache.safetensors");
        cache.Save(path);
        using var loaded = TargetCache.Load(path);
        Assert.Equal("frame-differences", loaded.TargetSpace);
        using var a = cache.Draw(4, 3, seed: 5);
        using var b = loaded.Draw(4, 3, seed: 5);
        Assert.True(Same(a.Target!, b.Target!));
        Assert.True(Same(a.Video, b.Video));
        Assert.Equal(a.Captions, b.Captions);

        var other = Path.Combine(dir, "weights.safetensors");
        Decoupled.IO.Safetensors.SafetensorsTorch.Save(other, new Dictionary<string, torch.Tensor> { ["w"] = torch.ones(2) });
        Assert.Throws<UserInputException>(() => TargetCache.Load(other));
    }

    [Fact]
    public void TheLossOfACachedBatchIsTheLossOfTheClips()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(0);
        var config = VideoDiffusionConfigs.Create("d-vdm", frames: 4, size: 16, width: 8, multipliers: [1, 2], ConditionKind.Label,
            Source().ClassNames, differenceScale: 4.0, prediction: PredictionType.Velocity);
        var model = new VideoDiffusionModel(config);
        using var cache = TargetCache.Build(Source(), model.TargetSpace, count: 2, chunk: 2);
        using var clips = VideoBatch.Draw(Source(), step: 0, batchSize: 2);
        using var cached = cache.Draw(0, 2, seed: 0);
        // Put the cached batch in the clips' order.
        var order = clips.Captions.Select(c => cached.Captions.ToList().IndexOf(c)).Select(i => (long)i).ToArray();
        using var index = torch.tensor(order);
        using var reordered = new VideoBatch(cached.Video.index_select(0, index), cached.ClassIds.index_select(0, index),
            clips.Captions, cached.Target!.index_select(0, index));
        using var g1 = new torch.Generator(7);
        using var g2 = new torch.Generator(7);
        using var fromClips = model.Loss(clips, g1);
        using var fromCache = model.Loss(reordered, g2);
        Assert.Equal(fromClips.item<float>(), fromCache.item<float>());
    }

    [Fact]
    public void Bf16EncodingStaysCloseToFp32AndStoresFloat32()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(1);
        using var vae = new Decoupled.Nn.Autoencoders.ResidualVae(Decoupled.Nn.Autoencoders.ResidualVaeConfig.ForBlockSize(4, latentChannels: 4, baseChannels: 8));
        vae.eval();
        var space = new MotionResidualTargetSpace(vae, new Decoupled.Decompositions.BlockMotionOptions { BlockSize = 4, SearchRange = 4 }, latentScale: 1.0);
        using var fp32 = TargetCache.Build(Source(), space, count: 2, chunk: 2);
        using var bf16 = TargetCache.Build(Source(), space, count: 2, chunk: 2, bf16: true);
        Assert.False(fp32.EncodedInBf16);
        using var a = fp32.Draw(0, 2, seed: 0);
        using var b = bf16.Draw(0, 2, seed: 0);
        Assert.Equal(torch.ScalarType.Float32, b.Target!.dtype);
        // Motion vectors come from the codec (exact either way); latents differ by bf16 rounding only.
        Assert.True(Same(a.Target!.narrow(1, 0, 2), b.Target.narrow(1, 0, 2)));
        // Compare the first P-frame's latents: later residuals are taken against frames rebuilt with
        // this (untrained) autoencoder's bf16 or fp32 output, so they legitimately part ways.
        var latentA = a.Target.narrow(1, 2, 4).narrow(2, 0, 1);
        var latentB = b.Target.narrow(1, 2, 4).narrow(2, 0, 1);
        double error = (latentA - latentB).abs().max().item<float>();
        double scale = latentA.abs().max().item<float>();
        // bf16 runs only where the oneDNN check passed (this autoencoder's continuous probe usually does).
        Assert.Equal(bf16.EncodingCheck is { Mode: not OneDnnMode.Off }, bf16.EncodedInBf16);
        if (bf16.EncodedInBf16) Assert.True(error > 0, "bf16 autocast had no effect on the encoder");
        Assert.True(error < 0.03 * scale, $"bf16 latents differ by {error} (scale {scale})");
    }

    [Fact]
    public void Bf16IsNotUsedWhereTheOneDnnCheckFails()
    {
        // The reference kernels multiply bf16 with a scalar GEMM (about 50x slower than fp32): a cache
        // whose oneDNN check fails must encode in fp32 even when bf16 was asked for.
        TorchRuntime.Initialize();
        using var cache = TargetCache.Build(Source(), new DisagreeingProbe(VideoTargetSpaces.Create("frame-differences", 1.0)), count: 2, chunk: 2, bf16: true);
        Assert.Equal(OneDnnMode.Off, cache.EncodingCheck?.Mode);
        Assert.False(cache.EncodedInBf16);
    }

    [Fact]
    public void TheAutoencoderProbeIsContinuousInTheClip()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(2);
        using var vae = new Decoupled.Nn.Autoencoders.ResidualVae(Decoupled.Nn.Autoencoders.ResidualVaeConfig.ForBlockSize(4, latentChannels: 4, baseChannels: 8));
        vae.eval();
        var space = new MotionResidualTargetSpace(vae, new Decoupled.Decompositions.BlockMotionOptions { BlockSize = 4, SearchRange = 4 }, latentScale: 1.0);
        using var clips = VideoBatch.Draw(Source(), step: 0, batchSize: 2);
        using var probe = space.EncodingProbe(clips.Video);
        using var nudged = space.EncodingProbe(clips.Video + 1e-4);
        Assert.Equal(new long[] { 2 * (clips.Video.shape[2] - 1), 3, clips.Video.shape[3], clips.Video.shape[4] }, probe.shape);
        // A uniform shift leaves frame differences unchanged: the probe sees only what the autoencoder codes.
        Assert.True((probe - nudged).abs().max().item<float>() < 1e-5);
    }

    // Agrees with the reference kernels' result only while oneDNN is off, whatever this CPU does.
    private sealed class DisagreeingProbe(IVideoTargetSpace inner) : IVideoTargetSpace
    {
        public string Name => inner.Name;
        public int TargetChannels => inner.TargetChannels;
        public int TargetFrames(int frames) => inner.TargetFrames(frames);
        public double SampleRange => inner.SampleRange;
        public torch.Tensor Encode(torch.Tensor video) => inner.Encode(video);
        public torch.Tensor EncodingProbe(torch.Tensor video) => TorchRuntime.OneDnnActive ? inner.Encode(video) * 1.5 + 1 : inner.Encode(video);
        public torch.Tensor Decode(torch.Tensor target, torch.Tensor firstFrame) => inner.Decode(target, firstFrame);
    }
}
