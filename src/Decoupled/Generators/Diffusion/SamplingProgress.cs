using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>Reported after each reverse step of <see cref="DiffusionSampling.Run"/>.</summary>
/// <param name="Step">0-based index of the step just done.</param>
/// <param name="Steps">Number of steps in the plan.</param>
/// <param name="Timestep">The timestep t the step started from.</param>
/// <param name="PredictedX0">The step's x_0 estimate; valid only during the callback (copy it to keep it).</param>
public sealed record SamplingProgress(int Step, int Steps, long Timestep, Tensor PredictedX0);
