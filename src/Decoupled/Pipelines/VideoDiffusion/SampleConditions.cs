namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>The label/caption checks every label- or caption-conditioned sampler makes before it runs.</summary>
public static class SampleConditions
{
    /// <summary>
    /// Throws a <see cref="UserInputException"/> unless a <paramref name="condition"/> model gets one label
    /// (in 0..classes-1) or one caption per video of a batch of <paramref name="batch"/>.
    /// </summary>
    public static void Check(ConditionKind condition, IReadOnlyList<string> classNames, int batch, IReadOnlyList<int>? classIds, IReadOnlyList<string>? captions)
    {
        if (condition == ConditionKind.Label && (classIds is null || classIds.Count != batch))
            throw new UserInputException("this model is conditioned on a label: give one per video (--label)");
        if (condition == ConditionKind.Text && (captions is null || captions.Count != batch))
            throw new UserInputException("this model is conditioned on a caption: give one per video (--text)");
        if (classIds is not null && classIds.Any(c => c < 0 || c >= Math.Max(1, classNames.Count)))
            throw new UserInputException($"labels must be 0..{classNames.Count - 1}");
    }
}
