using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Conditioning;

/// <summary>
/// A learned vector per absolute frame index, added to every pixel of that frame's features
/// (<c>h[b, :, n, y, x] += table[n]</c>), initialised to the sinusoidal encoding of n.
/// <para>
/// Why the 3D U-Net needs it: its convolutions are spatial and its temporal attention only sees
/// relative distances, so with the first frame's features concatenated identically to every frame
/// the network is blind to which frame it denoises whenever the noisy input carries no signal.
/// VDM's raw frames can get by; D-VDM's frame differences cannot: difference n sits where the
/// object is at frame n, which only its index tells at high noise. ED-VDM's growing and bouncing
/// motions need it too.
/// </para>
/// </summary>
public sealed class FramePositionEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter table;

    /// <summary>Positions 0 .. <paramref name="maxFrames"/>-1 for features of <paramref name="channels"/> (even) channels.</summary>
    public FramePositionEmbedding(long channels, long maxFrames) : base(nameof(FramePositionEmbedding))
    {
        if (maxFrames < 1) throw new ArgumentException($"frame positions need max_frames >= 1, got {maxFrames}.", nameof(maxFrames));
        using var sinusoid = new SinusoidalTimeEmbedding(channels);
        using var positions = torch.arange(maxFrames, dtype: ScalarType.Float32);
        using var initial = sinusoid.call(positions);
        table = new Parameter(initial.clone());
        MaxFrames = maxFrames;
        RegisterComponents();
    }

    /// <summary>Longest clip covered.</summary>
    public long MaxFrames { get; }

    /// <summary>Adds the position of each frame to features <c>[B, C, T, H, W]</c> (T at most <see cref="MaxFrames"/>).</summary>
    public override Tensor forward(Tensor h)
    {
        if (h.dim() != 5 || h.shape[1] != table.shape[1])
            throw new ArgumentException($"frame positions take features [B, {table.shape[1]}, T, H, W], got [{string.Join(",", h.shape)}].", nameof(h));
        long frames = h.shape[2];
        if (frames > MaxFrames)
            throw new ArgumentException($"frame positions cover at most {MaxFrames} frames, got {frames}.", nameof(h));
        using var scope = torch.NewDisposeScope();
        var perFrame = table.narrow(0, 0, frames).t().to(h.dtype).view(1, -1, frames, 1, 1);
        return (h + perFrame).MoveToOuterDisposeScope();
    }
}
