using Decoupled.Decompositions;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.EdVdm;

/// <summary>
/// The block-motion codec's parts as tensors and back: motion vectors as <c>[2, T, By, Bx]</c>
/// (dx, dy) divided by the search range, so they lie in [-1, 1]; residuals (in [-255, 255]) as
/// <c>[T, 3, H, W]</c> divided by 255. The way back rounds to integers and clamps to the ranges,
/// which is what makes a generated tensor a valid codec input.
/// </summary>
public static class CodecTensors
{
    /// <summary>Vectors <c>[2, T, By, Bx]</c> in [-1, 1].</summary>
    public static Tensor Vectors(MotionVectorField field, int searchRange)
    {
        ArgumentNullException.ThrowIfNull(field);
        using var scope = NewDisposeScope();
        var values = tensor(field.Vectors, dtype: ScalarType.Int16).reshape(field.Frames, field.BlocksY, field.BlocksX, 2);
        return (values.permute(3, 0, 1, 2).to(ScalarType.Float32) / searchRange).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The integer field of <paramref name="vectors"/> <c>[2, T, By, Bx]</c>: times the range, rounded, clamped to +-range.</summary>
    public static MotionVectorField Field(Tensor vectors, int height, int width, int blockSize, int searchRange)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using var scope = NewDisposeScope();
        var integer = (vectors.detach().to(ScalarType.Float32) * searchRange).round().clamp(-searchRange, searchRange)
            .permute(1, 2, 3, 0).contiguous().to(ScalarType.Int16);
        var field = new MotionVectorField((int)vectors.shape[1], height, width, blockSize);
        if (field.BlocksY != vectors.shape[2] || field.BlocksX != vectors.shape[3])
            throw new ArgumentException($"vectors are [{string.Join(",", vectors.shape)}], a {height}x{width} frame has {field.BlocksY}x{field.BlocksX} blocks of {blockSize}");
        integer.data<short>().CopyTo(field.Vectors);
        return field;
    }

    /// <summary>Residual frames <c>[T, 3, H, W]</c> in [-1, 1].</summary>
    public static Tensor Residuals(SignedVideo residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        using var scope = NewDisposeScope();
        var values = tensor(residuals.Values, dtype: ScalarType.Int16).reshape(residuals.Frames, residuals.Height, residuals.Width, residuals.Channels);
        return (values.permute(0, 3, 1, 2).to(ScalarType.Float32) / 255.0).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The integer residuals of <paramref name="frames"/> <c>[T, 3, H, W]</c>: times 255, rounded, clamped to +-255.</summary>
    public static SignedVideo ResidualVideo(Tensor frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        using var scope = NewDisposeScope();
        var integer = (frames.detach().to(ScalarType.Float32) * 255.0).round().clamp(-255, 255).permute(0, 2, 3, 1).contiguous().to(ScalarType.Int16);
        var video = new SignedVideo((int)frames.shape[0], (int)frames.shape[2], (int)frames.shape[3], (int)frames.shape[1]);
        integer.data<short>().CopyTo(video.Values);
        return video;
    }

    /// <summary>One residual frame per clip (each <c>[H, W, 3]</c>, as a <see cref="ResidualCoder"/> gets them) as <c>[N, 3, H, W]</c> in [-1, 1].</summary>
    public static Tensor ResidualFrames(IReadOnlyList<Memory<short>> frames, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(frames);
        using var scope = NewDisposeScope();
        int frameSize = height * width * 3;
        var values = new short[frames.Count * frameSize];
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].Length != frameSize) throw new ArgumentException($"residual frame {i} holds {frames[i].Length} values, a {height}x{width} RGB frame has {frameSize}");
            frames[i].Span.CopyTo(values.AsSpan(i * frameSize, frameSize));
        }
        var integer = tensor(values, dtype: ScalarType.Int16).reshape(frames.Count, height, width, 3);
        return (integer.permute(0, 3, 1, 2).to(ScalarType.Float32) / 255.0).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Writes <paramref name="decoded"/> <c>[N, 3, H, W]</c> back into the frames: times 255, rounded, clamped to +-255.</summary>
    public static void WriteResidualFrames(Tensor decoded, IReadOnlyList<Memory<short>> frames)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(frames);
        var video = ResidualVideo(decoded);   // [N, H, W, 3] as N "frames"
        int frameSize = video.Height * video.Width * video.Channels;
        for (int i = 0; i < frames.Count; i++)
            video.Values.AsSpan(i * frameSize, frameSize).CopyTo(frames[i].Span);
    }
}
