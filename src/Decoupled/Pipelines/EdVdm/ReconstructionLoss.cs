namespace Decoupled.Pipelines.EdVdm;

/// <summary>The residual autoencoder's reconstruction term.</summary>
public enum ReconstructionLoss
{
    /// <summary>Mean absolute error, as in the paper. On residuals that are zero almost everywhere its optimum starts at "decode nothing".</summary>
    L1,

    /// <summary>Mean squared error: weighs the rare large residuals (moving edges) over the many near-zero ones.</summary>
    L2,
}
