namespace Decoupled.Generators.Diffusion;

/// <summary>What the network is trained to output from (x_t, t, c).</summary>
public enum PredictionType
{
    /// <summary>The added noise eps (equation 6 of ED-VDM; the default).</summary>
    Epsilon,

    /// <summary>The clean sample x_0 itself.</summary>
    Sample,

    /// <summary>The velocity v = sqrt(alphaBar) eps - sqrt(1 - alphaBar) x_0 (Salimans and Ho 2022).</summary>
    Velocity,
}
