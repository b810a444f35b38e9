using Decoupled.Nn.Moso;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Analytic forward FLOPs of MOSO-Transformer (a multiply-add counts 2): per block, the q/k/v and
/// output projections (8 N d^2), the attention scores and their weighted sum (4 N^2 d) and the MLP
/// (4 N d m); plus the output heads (2 N d V). Embedding lookups are free.
/// </summary>
public static class MosoTransformerFlops
{
    /// <summary>FLOPs of one bidirectional transformer pass over <paramref name="tokens"/> tokens.</summary>
    public static double TransformerPass(long tokens, int layers, int width, int mlpWidth) =>
        layers * (8.0 * tokens * width * width + 4.0 * tokens * tokens * width + 4.0 * tokens * width * mlpWidth);

    /// <summary>One TransformerSO pass (2S tokens) with its output head.</summary>
    public static double SceneObjectPass(MosoTransformerNetConfig c) =>
        TransformerPass(2L * c.SceneTokens, c.SceneObjectLayers, c.Width, c.MlpWidth) + 2.0 * 2 * c.SceneTokens * c.Width * c.CodebookSize;

    /// <summary>One TransformerG pass (2S tokens, no head).</summary>
    public static double GuidancePass(MosoTransformerNetConfig c) => TransformerPass(2L * c.SceneTokens, c.SceneObjectLayers, c.Width, c.MlpWidth);

    /// <summary>One TransformerM pass over the guidance and motion tokens, with its head over the motion tokens.</summary>
    public static double MotionPass(MosoTransformerNetConfig c)
    {
        long motion = (long)c.MotionFrames * c.MotionTokensPerFrame;
        long tokens = motion + (c.Decomposed ? 2L * c.SceneTokens : 0);
        return TransformerPass(tokens, c.MotionLayers, c.Width, c.MlpWidth) + 2.0 * motion * c.Width * c.CodebookSize;
    }

    /// <summary>FLOPs of one predicted clip: the scene/object iterations, one guidance pass and the motion iterations.</summary>
    public static double PerClip(MosoTransformerNetConfig c, MosoSampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(options);
        double sceneObject = c.Decomposed ? options.SceneObject.Iterations * SceneObjectPass(c) + GuidancePass(c) : 0;
        return sceneObject + options.Motion.Iterations * MotionPass(c);
    }
}
