namespace Decoupled.Decompositions;

/// <summary>Which temporal difference drives the MOSO split.</summary>
public enum SceneObjectDifference
{
    /// <summary>
    /// Signed second difference <c>2 v[t] - v[t-1] - v[t+1]</c>, as in the authors' released
    /// preprocessing: it responds to pixels that change against both neighbours, i.e. what is
    /// moving now. At the first and last frame the missing neighbour is replaced by the frame
    /// itself, which leaves the one-sided first difference.
    /// </summary>
    Second,

    /// <summary>
    /// First difference <c>v[t] - v[t-1]</c>, the paper's text ("frame difference"); frame 0 uses
    /// <c>v[0] - v[1]</c> so it is not all scene.
    /// </summary>
    First,
}

/// <summary>Settings of <see cref="MotionSceneObject"/>.</summary>
public sealed record MotionSceneObjectOptions
{
    /// <summary>Pixels whose normalised difference is at least this are object (default 0.1).</summary>
    public double LowerThreshold { get; init; } = 0.1;

    /// <summary>Pixels whose normalised difference is at most this are object (default 0.9); above is a dramatic (scene) change.</summary>
    public double UpperThreshold { get; init; } = 0.9;

    /// <summary>Second difference (default, as the authors' code) or first difference.</summary>
    public SceneObjectDifference Difference { get; init; } = SceneObjectDifference.Second;

    /// <summary>Throws <see cref="UserInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (!(LowerThreshold >= 0) || !(UpperThreshold >= LowerThreshold) || double.IsInfinity(UpperThreshold))
            throw new UserInputException($"MOSO thresholds must satisfy 0 <= lower <= upper, got lower {LowerThreshold} and upper {UpperThreshold}");
        if (!Enum.IsDefined(Difference))
            throw new UserInputException($"unknown MOSO difference '{Difference}'");
    }
}
