namespace Decoupled.Nn.Moso;

/// <summary>MOSO-Transformer's architecture (section 3.2, appendix C.1): plain init-only properties with defaults.</summary>
public sealed record MosoTransformerNetConfig
{
    /// <summary>Codes V of the VQ-VAE's codebook; the mask token is id V.</summary>
    public int CodebookSize { get; init; } = 512;

    /// <summary>Positions S of the scene (and of the object) token grid, h*w.</summary>
    public int SceneTokens { get; init; } = 64;

    /// <summary>Frames T of the motion tokens.</summary>
    public int MotionFrames { get; init; } = 8;

    /// <summary>Motion tokens per frame, h'*w'.</summary>
    public int MotionTokensPerFrame { get; init; } = 16;

    /// <summary>Embedding width (the paper: 758).</summary>
    public int Width { get; init; } = 128;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Blocks of TransformerSO/G (the paper: 16).</summary>
    public int SceneObjectLayers { get; init; } = 4;

    /// <summary>Blocks of TransformerM (the paper: 8).</summary>
    public int MotionLayers { get; init; } = 4;

    /// <summary>Width of the MLPs.</summary>
    public int MlpWidth { get; init; } = 512;

    /// <summary>Dropout (the paper: 0.1).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>True: MOSO. False: the non-decomposed ablation, TransformerM alone over frame tokens.</summary>
    public bool Decomposed { get; init; } = true;

    /// <summary>The mask token's id.</summary>
    public long MaskId => CodebookSize;

    /// <summary>Throws <see cref="ArgumentException"/> with one line naming the first bad setting.</summary>
    public void Validate()
    {
        if (CodebookSize < 2) throw new ArgumentException($"the codebook needs at least 2 codes, got {CodebookSize}");
        if (SceneTokens < 1 || MotionFrames < 1 || MotionTokensPerFrame < 1) throw new ArgumentException("token grids must be non-empty");
        if (Width < 1 || Heads < 1 || Width % Heads != 0) throw new ArgumentException($"the heads ({Heads}) must divide the width ({Width})");
        if (SceneObjectLayers < 1 || MotionLayers < 1 || MlpWidth < 1) throw new ArgumentException("the transformers need at least one block and a positive MLP width");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"dropout must lie in [0, 1), got {Dropout}");
    }
}
