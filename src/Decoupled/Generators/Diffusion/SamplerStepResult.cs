using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>What one reverse step returns.</summary>
/// <param name="PreviousSample">x at the previous (less noisy) timestep.</param>
/// <param name="PredictedX0">The (possibly clipped) x_0 the step was built on; useful for previews.</param>
public sealed record SamplerStepResult(Tensor PreviousSample, Tensor PredictedX0);
