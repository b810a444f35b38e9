namespace Decoupled.Generators.MaskedTokens;

/// <summary>How <see cref="MaskGitDecoder"/> decodes.</summary>
/// <param name="Iterations">Decoding iterations I (MOSO: 16).</param>
/// <param name="Temperature">Temperature of token sampling (0: the most likely token).</param>
/// <param name="ChoiceTemperature">Scale of the Gumbel noise on the confidences that decide which tokens stay; annealed linearly to 0 over the iterations (MaskGIT's 4.5).</param>
/// <param name="Schedule">Shape of gamma.</param>
public sealed record MaskGitOptions(int Iterations = 16, double Temperature = 1.0, double ChoiceTemperature = 4.5, MaskScheduleKind Schedule = MaskScheduleKind.Cosine);
