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

    /// <summary>
    /// <see cref="LastFrame"/> where the decoding has not changed since frame K-1, the decoding
    /// itself where it has: frame t = decode(t) + (1 - m) (x[K-1] - decode(K-1)), with
    /// m = min(1, |decode(t) - decode(K-1)| / <see cref="MosoAnchoring.ChangeScale"/>) per pixel
    /// (largest over the channels). A moved object then leaves no faint copy of the VQ-VAE's
    /// error where it was. Not in the paper.
    /// </summary>
    Unchanged,

    /// <summary>
    /// The real last given frame where the decoding has not changed since frame K-1, the decoding
    /// where it has: frame t = (1 - m) x[K-1] + m decode(t), with the m of <see cref="Unchanged"/>.
    /// Unlike <see cref="Unchanged"/>, a pixel whose decoding barely moves is the given pixel
    /// itself, not the given pixel plus the decoder's small frame-to-frame wobble. Not in the paper.
    /// </summary>
    CopyUnchanged,
}
