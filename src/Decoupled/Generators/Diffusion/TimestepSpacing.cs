namespace Decoupled.Generators.Diffusion;

/// <summary>How n sampling steps are picked from the T training timesteps.</summary>
public enum TimestepSpacing
{
    /// <summary>round(linspace(T-1, 0, n)): both ends included, as improved DDPM respaces (the default).</summary>
    Linspace,

    /// <summary>(n-1..0) * floor(T/n): diffusers' "leading"; never visits the noisiest steps when T/n does not divide evenly.</summary>
    Leading,

    /// <summary>round(T - i T/n) - 1: diffusers' "trailing"; always starts at T-1.</summary>
    Trailing,
}

/// <summary>The descending timestep lists of <see cref="TimestepSpacing"/>.</summary>
public static class SamplingTimesteps
{
    /// <summary>
    /// <paramref name="steps"/> distinct timesteps of 0..<paramref name="trainSteps"/>-1, largest first.
    /// Throws <see cref="ArgumentException"/> unless 1 &lt;= steps &lt;= trainSteps.
    /// </summary>
    public static long[] Make(TimestepSpacing spacing, int trainSteps, int steps)
    {
        if (steps < 1 || steps > trainSteps)
            throw new ArgumentException($"sampling steps must lie in 1..{trainSteps} (the schedule's T), got {steps}.", nameof(steps));
        var result = new long[steps];
        for (int i = 0; i < steps; i++)
        {
            result[i] = spacing switch
            {
                // A step of (T-1)/(n-1) >= 1 keeps the rounded values distinct.
                TimestepSpacing.Linspace => steps == 1
                    ? trainSteps - 1
                    : (long)Math.Round((double)(steps - 1 - i) * (trainSteps - 1) / (steps - 1), MidpointRounding.AwayFromZero),
                TimestepSpacing.Leading => (long)(steps - 1 - i) * (trainSteps / steps),
                TimestepSpacing.Trailing => (long)Math.Round(trainSteps - (double)i * trainSteps / steps, MidpointRounding.AwayFromZero) - 1,
                _ => throw new ArgumentException($"unknown timestep spacing {spacing}.", nameof(spacing)),
            };
        }
        return result;
    }
}
