using static TorchSharp.torch;

namespace Decoupled.Nn.Text;

/// <summary>Per-token text states for cross-attention.</summary>
/// <param name="Hidden">States [B, L, D].</param>
/// <param name="Mask">[B, L] bool: true at real tokens (framing tokens included), false at padding.</param>
public sealed record TextSequence(Tensor Hidden, Tensor Mask) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Hidden.Dispose();
        Mask.Dispose();
    }
}
