using Decoupled.Video;

namespace Decoupled.Decompositions;

/// <summary>
/// ED-VDM's decomposition, as an H.264 encoder without transform or entropy coding: frame 0 is
/// the I-frame; every later frame is a P-frame coded as one integer-pel motion vector per
/// macroblock plus the lossless residual against the motion-compensated previous
/// reconstruction. <see cref="Reconstruct"/> is bit-exact.
/// </summary>
/// <remarks>
/// <para>Matching cost: SAD over all three RGB channels summed. The residual is stored in RGB,
/// so this cost is exactly the L1 norm of the residual a vector produces: the chosen vector
/// minimises what is stored. A luma-only SAD is cheaper but blind to chroma-only edges (a red
/// square on a green background of equal luma), and interleaved RGB rows are contiguous 48-byte
/// runs that suit 512-bit SAD instructions anyway.</para>
/// <para>Frames whose size is not a multiple of the block are padded by edge replication for
/// the search and the prediction; residuals and dense fields are cropped back.</para>
/// <para>Order of work: the costly search runs for all P-frames in parallel (block rows of
/// several frames at once) against the previous frames; since residuals are lossless, the
/// reconstruction equals the original, so this is the search the codec would do. The residual
/// is then computed frame by frame, as a codec does, from the padded previous reconstruction.</para>
/// </remarks>
public sealed class BlockMotion : IVideoDecomposition<BlockMotionParts>
{
    /// <summary>P-frames whose search is scheduled together; bounds memory for long clips.</summary>
    private const int FramesPerBatch = 8;

    /// <summary>Pieces a frame's element-wise work is split into across cores.</summary>
    private static int Chunks => 2 * Environment.ProcessorCount;

    /// <summary>Creates the decomposition; <paramref name="options"/> defaults to 16x16 blocks, ±16, exhaustive.</summary>
    /// <exception cref="UserInputException">An option is out of range.</exception>
    public BlockMotion(BlockMotionOptions? options = null)
    {
        Options = options ?? new BlockMotionOptions();
        Options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public BlockMotionOptions Options { get; }

    /// <inheritdoc />
    public string Name => "block-motion";

    /// <inheritdoc />
    public BlockMotionParts Decompose(VideoClip clip) => Decompose([clip], coder: null)[0];

    /// <summary>
    /// Decomposes clips of one size in lockstep, P-frame by P-frame, with a lossy residual coder in
    /// the loop as an H.264 encoder has: after the exact residuals of P-frame t of every clip are
    /// computed, <paramref name="coder"/> replaces them with what its decoder will get back, and
    /// P-frame t+1 is predicted from the reconstruction built with those coded residuals. So the
    /// coder's error in one frame is corrected by the next residual instead of drifting through the
    /// clip, and <see cref="Reconstruct"/> of the returned parts is exactly the encoder's
    /// reconstruction. Motion is searched on the original frames. Without a coder the residuals
    /// are lossless and this is <see cref="Decompose(VideoClip)"/>.
    /// </summary>
    /// <exception cref="UserInputException">The clips differ in size or have fewer than two frames.</exception>
    public BlockMotionParts[] Decompose(IReadOnlyList<VideoClip> clips, ResidualCoder? coder)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0) return [];
        var first = clips[0];
        foreach (var clip in clips)
            if (clip.Frames != first.Frames || clip.Height != first.Height || clip.Width != first.Width)
                throw new UserInputException($"{Name}: clips coded together must have one size, got {first.Frames}x{first.Height}x{first.Width} and {clip.Frames}x{clip.Height}x{clip.Width}");
        var fields = clips.Select(EstimateMotion).ToArray();
        int n = clips.Count, frameSize = first.FrameSize;
        var residuals = clips.Select(c => new SignedVideo(c.Frames - 1, c.Height, c.Width, VideoClip.Channels)).ToArray();
        var reconstructions = clips.Select(c => c.Frame(0).ToArray()).ToArray();
        var reference = new PaddedFrame(first.Height, first.Width, Options.BlockSize);
        var predictions = clips.Select(_ => new byte[frameSize]).ToArray();
        for (int t = 1; t < first.Frames; t++)
        {
            int frame = t;
            for (int i = 0; i < n; i++)
            {
                reference.Fill(reconstructions[i]);
                MotionCompensation.Predict(reference, fields[i], t - 1, predictions[i]);
                var (clip, prediction, residual) = (clips[i], predictions[i], residuals[i]);
                var reconstruction = reconstructions[i];
                Parallel.For(0, Chunks, k =>
                {
                    var (start, length) = Chunk(k, frameSize);
                    PixelMath.Subtract(clip.Frame(frame).Slice(start, length), prediction.AsSpan(start, length), residual.Frame(frame - 1).Slice(start, length));
                    // Lossless: the reconstruction is ready in the same pass.
                    if (coder is null)
                        PixelMath.AddClamped(prediction.AsSpan(start, length), residual.Frame(frame - 1).Slice(start, length), reconstruction.AsSpan(start, length));
                });
            }
            if (coder is null) continue;
            coder(t - 1, residuals.Select(r => r.Values.AsMemory((t - 1) * frameSize, frameSize)).ToArray());
            for (int i = 0; i < n; i++)
            {
                var (prediction, residual, reconstruction) = (predictions[i], residuals[i], reconstructions[i]);
                Parallel.For(0, Chunks, k =>
                {
                    var (start, length) = Chunk(k, frameSize);
                    PixelMath.AddClamped(prediction.AsSpan(start, length), residual.Frame(frame - 1).Slice(start, length), reconstruction.AsSpan(start, length));
                });
            }
        }
        return Enumerable.Range(0, n).Select(i => new BlockMotionParts(clips[i].Slice(0, 1), fields[i], residuals[i])).ToArray();
    }

    /// <summary>
    /// Rebuilds the clip: each P-frame is its motion-compensated prediction from the previous
    /// reconstruction plus its residual, clamped to 0..255 (a no-op for exact parts).
    /// </summary>
    /// <exception cref="UserInputException">The parts disagree about the clip's size.</exception>
    public VideoClip Reconstruct(BlockMotionParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (first, field, residuals) = parts;
        if (field.Height != first.Height || field.Width != first.Width || residuals.Height != first.Height ||
            residuals.Width != first.Width || residuals.Channels != VideoClip.Channels || field.Frames != residuals.Frames)
            throw new UserInputException($"block-motion parts disagree: first frame {first.Height}x{first.Width}, vectors {field}, residuals {residuals}");
        var clip = new VideoClip(residuals.Frames + 1, first.Height, first.Width, first.FramesPerSecond);
        first.Frame(0).CopyTo(clip.Frame(0));
        var reference = new PaddedFrame(clip.Height, clip.Width, field.BlockSize);
        var prediction = new byte[clip.FrameSize];
        for (int t = 1; t < clip.Frames; t++)
        {
            reference.Fill(clip.Frame(t - 1));
            MotionCompensation.Predict(reference, field, t - 1, prediction);
            int frame = t;
            Parallel.For(0, Chunks, k =>
            {
                var (start, length) = Chunk(k, clip.FrameSize);
                PixelMath.AddClamped(prediction.AsSpan(start, length), residuals.Frame(frame - 1).Slice(start, length), clip.Frame(frame).Slice(start, length));
            });
        }
        return clip;
    }

    /// <summary>Piece <paramref name="k"/> of <see cref="Chunks"/> of a frame of <paramref name="size"/> bytes.</summary>
    private static (int Start, int Length) Chunk(int k, int size)
    {
        int start = (int)((long)size * k / Chunks), end = (int)((long)size * (k + 1) / Chunks);
        return (start, end - start);
    }

    /// <summary>
    /// The motion search alone: one vector per macroblock per P-frame, using every core.
    /// <see cref="Decompose(VideoClip)"/> calls this; benchmarks time it on its own.
    /// </summary>
    /// <exception cref="UserInputException">The clip has fewer than two frames.</exception>
    public MotionVectorField EstimateMotion(VideoClip clip)
    {
        ClipRequirements.AtLeastFrames(clip, 2, Name);
        var kernel = BlockSad.Resolve(Options.Kernel);
        int b = Options.BlockSize;
        var field = new MotionVectorField(clip.Frames - 1, clip.Height, clip.Width, b);
        var padded = new PaddedFrame[Math.Min(FramesPerBatch, clip.Frames - 1) + 1];
        for (int i = 0; i < padded.Length; i++) padded[i] = new PaddedFrame(clip.Height, clip.Width, b);
        padded[0].Fill(clip.Frame(0));
        for (int start = 1; start < clip.Frames; start += FramesPerBatch)
        {
            int count = Math.Min(FramesPerBatch, clip.Frames - start);
            for (int i = 0; i < count; i++) padded[i + 1].Fill(clip.Frame(start + i));
            // One work item per (frame, block row): enough items to keep every core busy on small frames.
            Parallel.For(0, count * field.BlocksY, item =>
            {
                int i = item / field.BlocksY, by = item % field.BlocksY;
                MotionEstimator.EstimateRow(kernel, Options.Search, Options.SearchRange, Options.VectorCost,
                    padded[i + 1], padded[i], field, start + i - 1, by);
            });
            (padded[0], padded[count]) = (padded[count], padded[0]);
        }
        return field;
    }
}
