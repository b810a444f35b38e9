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
        if (!Enum.IsDefined(Search))
            throw new UserInputException($"unknown motion search '{Search}'");
        if (!Enum.IsDefined(Kernel))
            throw new UserInputException($"unknown SAD kernel '{Kernel}'");
    }
}
