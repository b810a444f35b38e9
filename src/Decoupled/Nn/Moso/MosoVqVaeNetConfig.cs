using System.Numerics;

namespace Decoupled.Nn.Moso;

/// <summary>
/// MOSO-VQVAE's architecture (section 3.1; the paper's KTH 64x64 setting downsamples scene and
/// object by 4 and motion by 8, with a 16384-entry codebook): plain init-only properties with defaults.
/// </summary>
public sealed record MosoVqVaeNetConfig
{
    /// <summary>Frames T of a clip (the VQ-VAE encodes clips of fixed length).</summary>
    public int Frames { get; init; } = 8;

    /// <summary>Frame height.</summary>
    public int Height { get; init; } = 32;

    /// <summary>Frame width.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Downsampling of the scene and object token grids (a power of 2).</summary>
    public int ContentDownsample { get; init; } = 4;

    /// <summary>Downsampling of the motion token grid (a power of 2, at least <see cref="ContentDownsample"/>).</summary>
    public int MotionDownsample { get; init; } = 8;

    /// <summary>Channels of the encoders' and decoder's features.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>
    /// Channels of the motion encoder (in the non-decomposed ablation: of the frame-wise encoder);
    /// null: <see cref="Hidden"/>. A 1x1 projection maps its codes back to <see cref="Hidden"/> for
    /// the decoder, so this widens the encoder alone, e.g. to give the ablation MOSO's parameter
    /// count (the paper's fairness rule, section 4.3) while the decoder stays MOSO's, as in its appendix C.2.
    /// </summary>
    public int? MotionEncoderHidden { get; init; }

    /// <summary>The motion (or frame-wise) encoder's channels in effect.</summary>
    public int MotionHidden => MotionEncoderHidden ?? Hidden;

    /// <summary>Residual layers of every residual stack.</summary>
    public int ResidualLayers { get; init; } = 2;

    /// <summary>Bottleneck channels inside a residual layer.</summary>
    public int ResidualHidden { get; init; } = 32;

    /// <summary>Codes in the codebook the three streams share.</summary>
    public int CodebookSize { get; init; } = 512;

    /// <summary>Width of a code.</summary>
    public int CodeDim { get; init; } = 32;

    /// <summary>EMA decay of the codebook.</summary>
    public double Decay { get; init; } = 0.99;

    /// <summary>beta of the commitment loss (equation 9).</summary>
    public double Commitment { get; init; } = 0.25;

    /// <summary>Running usage (vectors per batch) below which a code is restarted at a batch vector (0: never).</summary>
    public double DeadCodeThreshold { get; init; } = 1.0;

    /// <summary>Frames per working pool of the motion encoder's temporal attention (divides <see cref="Frames"/>).</summary>
    public int MotionPool { get; init; } = 2;

    /// <summary>Heads of the motion encoder's temporal attention.</summary>
    public int MotionHeads { get; init; } = 4;

    /// <summary>
    /// True: MOSO's scene, object and motion streams. False: the paper's non-decomposed ablation (appendix C.2),
    /// one frame-wise encoder with the motion encoder's architecture on raw frames and no merge module.
    /// </summary>
    public bool Decomposed { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> with one line naming the first bad setting.</summary>
    public void Validate()
    {
        if (Frames < 1 || Height < 1 || Width < 1) throw new ArgumentException($"MOSO-VQVAE needs positive frames and size, got {Frames}x{Height}x{Width}");
        if (!IsPowerOfTwo(ContentDownsample) || ContentDownsample < 2) throw new ArgumentException($"the content downsampling must be a power of 2 (>= 2), got {ContentDownsample}");
        if (!IsPowerOfTwo(MotionDownsample) || MotionDownsample < ContentDownsample)
            throw new ArgumentException($"the motion downsampling must be a power of 2 and at least the content downsampling {ContentDownsample}, got {MotionDownsample}");
        if (Height % MotionDownsample != 0 || Width % MotionDownsample != 0)
            throw new ArgumentException($"the frame size {Height}x{Width} must be a multiple of the motion downsampling {MotionDownsample}");
        if (Hidden < 1 || ResidualHidden < 1 || ResidualLayers < 0) throw new ArgumentException("hidden widths must be positive and residual layers >= 0");
        if (CodebookSize < 2 || CodeDim < 1) throw new ArgumentException($"the codebook needs at least 2 codes of width >= 1, got {CodebookSize} x {CodeDim}");
        if (MotionPool < 1 || Frames % MotionPool != 0) throw new ArgumentException($"the working pool ({MotionPool} frames) must divide the clip length {Frames}");
        if (MotionEncoderHidden is < 1) throw new ArgumentException($"the motion encoder width must be positive, got {MotionEncoderHidden}");
        if (MotionHeads < 1 || MotionHidden % MotionHeads != 0) throw new ArgumentException($"the motion heads ({MotionHeads}) must divide the motion encoder width {MotionHidden}");
    }

    /// <summary>Scene/object token grid (h, w).</summary>
    public (int H, int W) ContentGrid => (Height / ContentDownsample, Width / ContentDownsample);

    /// <summary>Motion token grid (h', w') per frame.</summary>
    public (int H, int W) MotionGrid => (Height / MotionDownsample, Width / MotionDownsample);

    private static bool IsPowerOfTwo(int x) => x > 0 && BitOperations.IsPow2(x);
}
