namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>Creates a target space from its config name.</summary>
public static class VideoTargetSpaces
{
    /// <summary>The target space called <paramref name="name"/>.</summary>
    public static IVideoTargetSpace Create(string name, double differenceScale = 0.5) => name switch
    {
        "pixels" => new PixelTargetSpace(),
        FrameDifferenceTargetSpace.PreviousFrameName => new FrameDifferenceTargetSpace(differenceScale),
        FrameDifferenceTargetSpace.FirstFrameName => new FrameDifferenceTargetSpace(differenceScale, DifferenceReference.FirstFrame),
        _ => throw new UserInputException($"unknown target space '{name}' (expected pixels, frame-differences or first-frame-differences)"),
    };
}
