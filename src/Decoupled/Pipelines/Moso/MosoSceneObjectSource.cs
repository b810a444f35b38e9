namespace Decoupled.Pipelines.Moso;

/// <summary>Where the target clip's scene and object tokens come from when frames are given.</summary>
public enum MosoSceneObjectSource
{
    /// <summary>The paper (equation 11): TransformerSO predicts them from the pseudo video's tokens.</summary>
    Predicted,

    /// <summary>
    /// The pseudo video's own tokens, taken as they are (TransformerSO is skipped). Built from the
    /// given frames alone, so nothing after them is read. Not in the paper: an ablation of
    /// TransformerSO, and a choice for scenes whose content does not change while they move.
    /// </summary>
    Given,
}
