namespace Decoupled.Pipelines.Moso;

/// <summary>
/// What the predicted frames are built on. The paper decodes every frame from tokens
/// (<see cref="None"/>); <see cref="LastFrame"/> keeps the given pixels and adds only what the
/// tokens say has changed, so the VQ-VAE's reconstruction error of a static scene cancels.
/// </summary>
public enum MosoAnchor
{
    /// <summary>The paper: predicted frames are the VQ-VAE's decodings of the predicted tokens.</summary>
    None,

    /// <summary>
    /// Predicted frame t = last given frame + decode(t) - decode(K-1), clamped to [-1, 1]: the
    /// decoder's change since the last given frame, added to that frame's real pixels. Not in
    /// the paper; the idea is D-VDM's (content from the given frame, motion from the model).
    /// </summary>
    LastFrame,
}
