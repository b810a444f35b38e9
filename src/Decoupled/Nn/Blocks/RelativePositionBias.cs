using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// A learned scalar per head for every relative distance <c>j - i</c> in
/// <c>[-(maxFrames-1), maxFrames-1]</c>, added to the temporal attention logits:
/// <c>bias[h, i, j] = table[h, j - i + maxFrames - 1]</c>. It depends on distance only, so a clip of
/// any length up to <c>maxFrames</c> uses the same weights, and frame order matters (unlike plain
/// attention, which is blind to permutations). Starts at zero: attention begins order-agnostic.
/// </summary>
public sealed class RelativePositionBias : nn.Module<long, Tensor>
{
    private readonly Parameter table;

    /// <summary>A bias for <paramref name="heads"/> heads and clips of up to <paramref name="maxFrames"/> frames.</summary>
    public RelativePositionBias(long heads, long maxFrames) : base(nameof(RelativePositionBias))
    {
        if (maxFrames < 1) throw new ArgumentException($"max_frames must be at least 1, got {maxFrames}.", nameof(maxFrames));
        Heads = heads;
        MaxFrames = maxFrames;
        table = new Parameter(torch.zeros(heads, 2 * maxFrames - 1));
        RegisterComponents();
    }

    /// <summary>Number of heads.</summary>
    public long Heads { get; }

    /// <summary>Longest clip the table covers.</summary>
    public long MaxFrames { get; }

    /// <summary>The learned table <c>[heads, 2 * maxFrames - 1]</c>; column <c>d + maxFrames - 1</c> holds distance d.</summary>
    public Parameter Table => table;

    /// <summary>The bias <c>[heads, frames, frames]</c> for a clip of <paramref name="frames"/> frames.</summary>
    public override Tensor forward(long frames)
    {
        if (frames < 1 || frames > MaxFrames)
            throw new ArgumentException($"temporal attention was built for clips of at most {MaxFrames} frames (max_frames), got {frames}.", nameof(frames));
        using var scope = torch.NewDisposeScope();
        var positions = torch.arange(frames, dtype: ScalarType.Int64, device: table.device);
        var distance = positions.unsqueeze(0) - positions.unsqueeze(1);   // [i, j] = j - i
        var index = (distance + (MaxFrames - 1)).flatten();
        return table.index_select(1, index).view(Heads, frames, frames).MoveToOuterDisposeScope();
    }
}
