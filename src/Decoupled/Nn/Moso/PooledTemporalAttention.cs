using Decoupled.Nn.Blocks;
using Decoupled.Nn.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// The motion encoder's temporal self-attention (equation 1): at every spatial position, frames
/// attend to each other only inside their working pool of consecutive frames; different pools
/// never exchange information. Pre-norm residual, with a learned position within the pool:
/// <c>[B, C, T, H, W]</c> to the same shape.
/// </summary>
public sealed class PooledTemporalAttention : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly MultiHeadSelfAttention attention;
    private readonly Parameter position;

    /// <summary>Attention over pools of <paramref name="pool"/> frames of <paramref name="channels"/>-wide features.</summary>
    public PooledTemporalAttention(int channels, int heads, int pool) : base(nameof(PooledTemporalAttention))
    {
        Pool = pool;
        norm = Norms.LayerNorm(channels);
        attention = new MultiHeadSelfAttention(channels, heads, channels / heads);
        position = new Parameter(torch.randn(pool, channels) * 0.02);
        RegisterComponents();
    }

    /// <summary>Frames per working pool.</summary>
    public int Pool { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        if (t % Pool != 0) throw new ArgumentException($"{t} frames do not split into pools of {Pool}");
        long pools = t / Pool;
        // [B, C, pools, P, H, W] -> [B * pools * H * W, P, C]: one sequence per (clip, pool, position).
        var tokens = x.reshape(b, c, pools, Pool, h, w).permute(0, 2, 4, 5, 3, 1).reshape(b * pools * h * w, Pool, c);
        var attended = tokens + attention.call(norm.call(tokens + position), null);
        return attended.reshape(b, pools, h, w, Pool, c).permute(0, 5, 1, 4, 2, 3).reshape(b, c, t, h, w).MoveToOuterDisposeScope();
    }
}
