using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Blocks;

/// <summary>
/// The Transformer's sinusoidal position encoding applied to diffusion timesteps (DDPM):
/// <c>[sin(t w_0) .. sin(t w_{d/2-1}), cos(t w_0) .. cos(t w_{d/2-1})]</c> with
/// <c>w_i = 10000^(-i / (d/2))</c>. No parameters; an MLP after it learns what to make of t.
/// </summary>
public sealed class SinusoidalTimeEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly long dim;

    /// <summary>An embedding of even width <paramref name="dim"/>.</summary>
    public SinusoidalTimeEmbedding(long dim) : base(nameof(SinusoidalTimeEmbedding))
    {
        if (dim < 2 || dim % 2 != 0) throw new ArgumentException($"the time embedding width must be even and >= 2, got {dim}.", nameof(dim));
        this.dim = dim;
    }

    /// <summary>Timesteps <c>[B]</c> (any numeric type) to float32 embeddings <c>[B, dim]</c>.</summary>
    public override Tensor forward(Tensor t)
    {
        if (t.dim() != 1) throw new ArgumentException($"timesteps must be a 1-D tensor [B], got [{string.Join(",", t.shape)}].", nameof(t));
        using var scope = torch.NewDisposeScope();
        long half = dim / 2;
        var frequencies = torch.exp(torch.arange(half, dtype: ScalarType.Float32, device: t.device) * (-Math.Log(10000.0) / half));
        var angles = t.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);
        return torch.cat([angles.sin(), angles.cos()], 1).MoveToOuterDisposeScope();
    }
}
