using Decoupled.Generators.MaskedTokens;

namespace Decoupled.Pipelines.Moso;

/// <summary>How MOSO-Transformer decodes tokens (section 3.2.1).</summary>
/// <param name="SceneObject">Decoding of the scene and object tokens. One iteration samples them all at once, as the paper does; more refine them MaskGIT-style.</param>
/// <param name="Motion">Decoding of the motion tokens (the paper: 16 iterations, cosine schedule).</param>
/// <param name="SceneObjectSource">Where the scene and object tokens come from when frames are given (the paper: predicted by TransformerSO).</param>
public sealed record MosoSampleOptions(MaskGitOptions SceneObject, MaskGitOptions Motion, MosoSceneObjectSource SceneObjectSource = MosoSceneObjectSource.Predicted)
{
    /// <summary>8 scene/object iterations and the paper's 16 motion iterations, temperature 1.</summary>
    public static MosoSampleOptions Default { get; } = new(new MaskGitOptions(Iterations: 8), new MaskGitOptions(Iterations: 16));
}
