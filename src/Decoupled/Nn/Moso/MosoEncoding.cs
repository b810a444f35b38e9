using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>What <see cref="MosoVqVae.Encode"/> returns (equation 2).</summary>
/// <param name="SceneTokens">Scene tokens <c>[B, h, w]</c> (int64); null for the non-decomposed ablation.</param>
/// <param name="ObjectTokens">Object tokens <c>[B, h, w]</c>; null for the non-decomposed ablation.</param>
/// <param name="MotionTokens">Motion tokens <c>[B, T, h', w']</c> (frame tokens for the ablation).</param>
/// <param name="SceneQuantized">Quantised scene feature after its output projection, <c>[B, hidden, h, w]</c> (straight-through gradient).</param>
/// <param name="ObjectQuantized">Quantised object feature, likewise.</param>
/// <param name="MotionQuantized">Quantised motion features, <c>[B, hidden, T, h', w']</c>.</param>
/// <param name="CommitmentLoss">The commitment term of equation 9 over all three streams.</param>
public sealed record MosoEncoding(Tensor? SceneTokens, Tensor? ObjectTokens, Tensor MotionTokens,
    Tensor? SceneQuantized, Tensor? ObjectQuantized, Tensor MotionQuantized, Tensor CommitmentLoss);
