using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>One noised training batch: what the network sees and what it should output.</summary>
/// <param name="Timesteps">t per batch item, long <c>[B]</c>.</param>
/// <param name="Noise">The eps that was added.</param>
/// <param name="NoisySample">x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, the network's input.</param>
/// <param name="Target">What the network should predict (eps, x_0 or v).</param>
public sealed record DiffusionTrainingBatch(Tensor Timesteps, Tensor Noise, Tensor NoisySample, Tensor Target);
