namespace Decoupled.Decompositions;

/// <summary>Settings of <see cref="BlockMotion"/> (H.264-style P-frame analysis).</summary>
public sealed record BlockMotionOptions
{
    /// <summary>Largest accepted <see cref="SearchRange"/>; vectors are packed in 9 bits during search.</summary>
    public const int MaxSearchRange = 255;

    /// <summary>Macroblock side in pixels: 16 (default, as in ED-VDM and H.264), 8 or 4.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>Largest |dx| and |dy| of a motion vector, in pixels (default 16).</summary>
    public int SearchRange { get; init; } = 16;

    /// <summary>
    /// Rate term of the motion search, in SAD units per pixel of vector difference: each block
    /// minimises SAD(v) + VectorCost * |v - p|_1, where p is the vector of the block to its left
    /// (zero for the first block of a row), as an H.264 encoder charges the bits of a vector's
    /// difference from its prediction. 0 (default) is the plain SAD minimum. A positive cost
    /// makes fields coherent: the blocks inside a uniform moving object, whose SAD is zero both at
    /// the true motion and at the zero vector, follow their neighbour instead of standing still,
    /// which is what a generator of vector fields (ED-VDM) finds far easier to learn.
    /// Exhaustive search only.
    /// </summary>
    public int VectorCost { get; init; }

    /// <summary>Exhaustive (default) or the fast diamond search.</summary>
    public MotionSearch Search { get; init; } = MotionSearch.Exhaustive;

    /// <summary>Instruction set for SAD; <see cref="SadKernel.Auto"/> unless testing or benchmarking.</summary>
    public SadKernel Kernel { get; init; } = SadKernel.Auto;

    /// <summary>Throws <see cref="UserInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (BlockSize is not (4 or 8 or 16))
            throw new UserInputException($"block size must be 4, 8 or 16, got {BlockSize}");
        if (SearchRange is < 0 or > MaxSearchRange)
            throw new UserInputException($"search range must be between 0 and {MaxSearchRange} pixels, got {SearchRange}");
        if (VectorCost is < 0 or > 1 << 16)
            throw new UserInputException($"vector cost must be between 0 and 65536 SAD units per pixel, got {VectorCost}");
        if (VectorCost > 0 && Search != MotionSearch.Exhaustive)
            throw new UserInputException("a vector cost needs the exhaustive search");
        if (!Enum.IsDefined(Search))
            throw new UserInputException($"unknown motion search '{Search}'");
        if (!Enum.IsDefined(Kernel))
            throw new UserInputException($"unknown SAD kernel '{Kernel}'");
    }
}
