namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>Creates a target space from its config name.</summary>
public static class VideoTargetSpaces
{
    /// <summary>The target space called <paramref name="name"/>.</summary>
    public static IVideoTargetSpace Create(string name, double differenceScale = 0.5) => name switch
    {
        "pixels" => new PixelTargetSpace(),
        "frame-differences" => new FrameDifferenceTargetSpace(differenceScale),
        _ => throw new UserInputException($"unknown target space '{name}' (expected pixels or frame-differences)"),
    };
}
