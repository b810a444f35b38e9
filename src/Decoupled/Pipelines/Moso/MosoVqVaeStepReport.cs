using System.Globalization;

namespace Decoupled.Pipelines.Moso;

/// <summary>One MOSO-VQVAE training step's loss terms and codebook usage (written to <c>RUN/codebook.csv</c>).</summary>
/// <param name="Step">0-based step.</param>
/// <param name="Mse">Reconstruction mean squared error in [-1, 1] units.</param>
/// <param name="Commitment">Weighted commitment loss (equation 9).</param>
/// <param name="Perceptual">LPIPS term, when enabled.</param>
/// <param name="Adversarial">The generator's hinge term, once the discriminator has started.</param>
/// <param name="Perplexity">exp(entropy) of the batch's code frequencies: the number of codes in effective use.</param>
/// <param name="UsedCodes">Codes chosen at least once in the batch.</param>
/// <param name="DeadCodes">Codes whose EMA usage fell below the restart threshold.</param>
public sealed record MosoVqVaeStepReport(long Step, double Mse, double Commitment, double? Perceptual, double? Adversarial, double Perplexity, long UsedCodes, long DeadCodes)
{
    /// <summary>The CSV header of <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "step,mse,commitment,perceptual,adversarial,perplexity,used_codes,dead_codes";

    /// <summary>One CSV row (empty cells for absent terms).</summary>
    public string ToCsv() => string.Join(',',
        Step.ToString(CultureInfo.InvariantCulture), Mse.ToString("G6", CultureInfo.InvariantCulture), Commitment.ToString("G6", CultureInfo.InvariantCulture),
        Perceptual?.ToString("G6", CultureInfo.InvariantCulture) ?? "", Adversarial?.ToString("G6", CultureInfo.InvariantCulture) ?? "",
        Perplexity.ToString("G6", CultureInfo.InvariantCulture), UsedCodes.ToString(CultureInfo.InvariantCulture), DeadCodes.ToString(CultureInfo.InvariantCulture));
}
