namespace Decoupled.Pipelines.EdVdm;

/// <summary>Which P-frame residuals of a clip train the residual autoencoder.</summary>
public enum ResidualSelection
{
    /// <summary>The middle four, as in the paper (P-frames 6-9 of a 16-frame clip).</summary>
    Middle4,

    /// <summary>Every P-frame.</summary>
    All,
}

/// <summary>Picks residual frames by <see cref="ResidualSelection"/>.</summary>
public static class ResidualFrames
{
    /// <summary>The 0-based P-frame indices chosen among <paramref name="pFrames"/>.</summary>
    public static IReadOnlyList<int> Indices(int pFrames, ResidualSelection selection)
    {
        if (pFrames < 1) throw new ArgumentException($"a clip needs at least one P-frame, got {pFrames}", nameof(pFrames));
        if (selection == ResidualSelection.All || pFrames <= 4) return Enumerable.Range(0, pFrames).ToList();
        int start = (pFrames - 4) / 2;
        return Enumerable.Range(start, 4).ToList();
    }
}
