namespace Decoupled.Generators.Diffusion;

/// <summary>How the forward-process variances beta_1..beta_T are laid out.</summary>
public enum NoiseScheduleKind
{
    /// <summary>Betas rise linearly (Ho et al. 2020: 1e-4 to 0.02 over 1000 steps).</summary>
    Linear,

    /// <summary>alphaBar follows a squared cosine (Nichol and Dhariwal 2021), gentler at both ends.</summary>
    Cosine,
}
