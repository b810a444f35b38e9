namespace Decoupled.Pipelines.Moso;

/// <summary>What MOSO-Transformer is asked to do (Figure 2 of the paper).</summary>
public enum MosoTask
{
    /// <summary>Predict the frames after the first K (the pseudo video repeats frame K-1, equation 10).</summary>
    Prediction,

    /// <summary>Fill the frames between the first K and the last E.</summary>
    Interpolation,

    /// <summary>Generate a clip from nothing (the pseudo video's tokens are all masked).</summary>
    Unconditional,
}
