using static TorchSharp.torch;

namespace Decoupled.Nn.Quantization;

/// <summary>What <see cref="EmaCodebook.Quantize"/> returns.</summary>
/// <param name="Quantized">The nearest codes with the straight-through gradient: <c>z + sg(q - z)</c>, <c>[N, dim]</c>.</param>
/// <param name="Indices">The chosen code of every vector, <c>[N]</c> (int64).</param>
/// <param name="CommitmentLoss">beta * mean (z - sg(q))^2, the encoder's term of equation 9 (a scalar).</param>
public sealed record QuantizerOutput(Tensor Quantized, Tensor Indices, Tensor CommitmentLoss);

/// <summary>How a batch used the codebook.</summary>
/// <param name="Perplexity">exp(entropy) of the batch's code frequencies: the number of codes in effective use.</param>
/// <param name="UsedCodes">Codes chosen at least once in the batch.</param>
/// <param name="DeadCodes">Codes whose moving-average usage is below the restart threshold.</param>
public sealed record CodebookUsage(double Perplexity, long UsedCodes, long DeadCodes);
