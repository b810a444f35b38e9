using System.Text.Json;
using Decoupled.IO.Safetensors;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.Training;
using Decoupled.Runtime;
using Decoupled.Tensors;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>
/// Diffusion targets computed once, ahead of training, as latent diffusion does with its
/// autoencoder latents. For ED-VDM an on-the-fly step spends most of its time in the codec's motion
/// search and the residual encoder, while the U-Net on the block grid is tiny; encoding a fixed set
/// of clips once moves that cost out of the loop. Holds per clip: x0 <c>[C, T', h, w]</c>, the first
/// frame (as bytes, which the [-1, 1] conversion reproduces exactly), class id and caption.
/// Batches are drawn without replacement within an epoch, in an order that depends only on
/// (seed, epoch), so a resumed run sees the same batches.
/// </summary>
public sealed class TargetCache : IDisposable
{
    private const ulong ShuffleStream = 40;
    private const string FormatKey = "decoupled.target_cache";
    private readonly Tensor targets;
    private readonly Tensor firstFrames;
    private readonly Tensor classIds;
    private readonly string[] captions;
    private long shuffledEpoch = -1;
    private int[] order = [];

    private TargetCache(Tensor targets, Tensor firstFrames, Tensor classIds, string[] captions, string targetSpace)
    {
        this.targets = targets;
        this.firstFrames = firstFrames;
        this.classIds = classIds;
        this.captions = captions;
        TargetSpace = targetSpace;
    }

    /// <summary>Number of cached clips.</summary>
    public int Count => captions.Length;

    /// <summary>Name of the target space the targets belong to.</summary>
    public string TargetSpace { get; }

    /// <summary>What the oneDNN forward check decided for the encoding (null when the policy is not auto, or when loaded from a file).</summary>
    public OneDnnCheck? EncodingCheck { get; private init; }

    /// <summary>Whether the encoding ran under bf16 autocast (asked for, and oneDNN on; false when loaded from a file).</summary>
    public bool EncodedInBf16 { get; private init; }

    /// <summary>Shape of one target <c>[C, T', h, w]</c>.</summary>
    public long[] TargetShape => targets.shape[1..];

    /// <summary>
    /// Encodes the first <paramref name="count"/> clips of <paramref name="source"/> (the batches of
    /// steps 0, 1, ... of size <paramref name="chunk"/>) with <paramref name="space"/>.
    /// <paramref name="progress"/> gets the number of clips done. With <paramref name="bf16"/> the
    /// space's networks run under bfloat16 autocast (about 4x faster convolutions on AVX-512 BF16
    /// CPUs) when oneDNN runs them; targets are stored in float32 either way.
    /// </summary>
    public static TargetCache Build(IClipSource source, IVideoTargetSpace space, int count, int chunk = 16, Action<int>? progress = null, bool bf16 = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(space);
        OneDnnCheck? encodingCheck;
        bool encodedInBf16;
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a target cache needs at least one clip");
        if (chunk < 1) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "chunk must be at least 1");
        var targetParts = new List<Tensor>();
        var frameParts = new List<Tensor>();
        var idParts = new List<Tensor>();
        var allCaptions = new List<string>();
        using (no_grad())
        {
            // Encoding is forward-only: oneDNN (about 3x faster here) wherever its forward check on
            // the first chunk agrees with the reference kernels.
            using var firstBatch = VideoBatch.Draw(source, 0, Math.Min(chunk, count));
            using var oneDnn = OneDnnSelfCheck.UseVerifiedForSampling(() => space.EncodingProbe(firstBatch.Video.narrow(0, 0, Math.Min(2, firstBatch.Video.shape[0]))), out var check);
            encodingCheck = check;
            // libtorch's reference convolution multiplies bf16 with a scalar GEMM, about 50x slower
            // than fp32 here: bf16 pays only where oneDNN runs the convolutions.
            bf16 &= TorchRuntime.OneDnnActive;
            encodedInBf16 = bf16;
            for (int step = 0, done = 0; done < count; step++)
            {
                int size = Math.Min(chunk, count - done);
                using var batch = step == 0 ? null : VideoBatch.Draw(source, step, size);
                var clips = batch ?? firstBatch;
                using var scope = NewDisposeScope();
                targetParts.Add(Encode(space, clips.Video, bf16).MoveToOuterDisposeScope());
                frameParts.Add(ToBytes(clips.Video.select(2, 0)).MoveToOuterDisposeScope());
                idParts.Add(clips.ClassIds.clone().MoveToOuterDisposeScope());
                allCaptions.AddRange(clips.Captions);
                done += size;
                progress?.Invoke(done);
            }
        }
        var cache = new TargetCache(cat(targetParts, 0), cat(frameParts, 0), cat(idParts, 0), [.. allCaptions], space.Name) { EncodingCheck = encodingCheck, EncodedInBf16 = encodedInBf16 };
        foreach (var t in targetParts.Concat(frameParts).Concat(idParts)) t.Dispose();
        return cache;
    }

    /// <summary>The batch of <paramref name="step"/>: <paramref name="batchSize"/> clips taken in a shuffled order that changes every epoch.</summary>
    public VideoBatch Draw(long step, int batchSize, long seed)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");
        var indices = new long[batchSize];
        for (int slot = 0; slot < batchSize; slot++)
        {
            long position = step * batchSize + slot;
            indices[slot] = Order(seed, position / Count)[(int)(position % Count)];
        }
        using var index = tensor(indices);
        var first = ClipTensor.ToUnitRange_(firstFrames.index_select(0, index).to_type(ScalarType.Float32)).unsqueeze(2);
        return new VideoBatch(first, classIds.index_select(0, index), indices.Select(i => captions[i]).ToList(), targets.index_select(0, index));
    }

    /// <summary>Writes the cache to <paramref name="path"/> (safetensors, atomically; captions in the metadata).</summary>
    public void Save(string path) =>
        SafetensorsTorch.Save(path,
            new Dictionary<string, Tensor> { ["targets"] = targets, ["first_frames"] = firstFrames, ["class_ids"] = classIds },
            new Dictionary<string, string>
            {
                [FormatKey] = "1",
                ["target_space"] = TargetSpace,
                ["captions"] = JsonSerializer.Serialize(captions),
            });

    /// <summary>Reads a cache written by <see cref="Save"/>.</summary>
    /// <exception cref="UserInputException">The file is not a target cache or its parts disagree.</exception>
    public static TargetCache Load(string path)
    {
        Dictionary<string, string> metadata;
        using (var file = SafetensorsFile.Open(path))
            metadata = new Dictionary<string, string>(file.Metadata);
        if (!metadata.TryGetValue(FormatKey, out var version) || version != "1")
            throw new UserInputException($"{path}: not a Decoupled target cache");
        var tensors = SafetensorsTorch.Load(path);
        string[] captions = metadata.TryGetValue("captions", out var json) ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
        if (!tensors.TryGetValue("targets", out var targets) || !tensors.TryGetValue("first_frames", out var frames) || !tensors.TryGetValue("class_ids", out var ids))
            throw new UserInputException($"{path}: a target cache needs targets, first_frames and class_ids");
        long n = captions.Length;
        if (n == 0 || targets.shape[0] != n || frames.shape[0] != n || ids.shape[0] != n || frames.dtype != ScalarType.Byte || ids.dtype != ScalarType.Int64)
            throw new UserInputException($"{path}: the target cache's parts disagree ({n} captions, targets {string.Join('x', targets.shape)}, first frames {string.Join('x', frames.shape)})");
        return new TargetCache(targets, frames, ids, captions, metadata.GetValueOrDefault("target_space", ""));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        targets.Dispose();
        firstFrames.Dispose();
        classIds.Dispose();
    }

    // Fisher-Yates over 0..Count-1, seeded by (seed, epoch) only.
    private int[] Order(long seed, long epoch)
    {
        if (epoch == shuffledEpoch) return order;
        var random = StepRandom.Random(seed, epoch, ShuffleStream);
        order = Enumerable.Range(0, Count).ToArray();
        for (int i = Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        shuffledEpoch = epoch;
        return order;
    }

    private static Tensor Encode(IVideoTargetSpace space, Tensor video, bool bf16)
    {
        using var autocast = bf16 ? Bf16Autocast.Enter() : null;
        return space.Encode(video).to_type(ScalarType.Float32).contiguous();
    }

    private static Tensor ToBytes(Tensor frames) => frames.add(1.0).mul_(127.5).round_().clamp_(0, 255).to_type(ScalarType.Byte);
}
