using System.Collections;

namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// The synthetic "shapes" dataset: clip <c>i</c> shows action <c>i mod 11</c> (so classes are
/// balanced) performed by a subject drawn from the seed. Every clip is rendered on demand from
/// its own seed, derived from the dataset seed and its index, so any clip can be made alone, in
/// any order, and comes out byte-identical on every run and machine.
/// </summary>
public sealed class ShapesDataset : IReadOnlyList<ShapesSample>
{
    /// <summary>Child stream of a clip seed that plans the trajectory.</summary>
    internal const ulong TrajectoryStream = 1;

    /// <summary>Child stream of a clip seed that lays out the background.</summary>
    internal const ulong BackgroundStream = 2;

    /// <summary>Creates the dataset (nothing is rendered yet).</summary>
    /// <exception cref="UserInputException">An option is out of range.</exception>
    public ShapesDataset(ShapesDatasetOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>What this dataset generates.</summary>
    public ShapesDatasetOptions Options { get; }

    /// <summary>Number of clips.</summary>
    public int Count => Options.Count;

    /// <summary>Renders clip <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not in [0, Count).</exception>
    public ShapesSample this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), $"clip {index} of a {Count}-clip shapes dataset");
            var seed = ClipSeed(index);
            var subject = SubjectOf(seed);
            var action = ShapeAction.All[index % ShapeAction.All.Count];
            return Render(subject, action, Options.Frames, Options.Height, Options.Width, seed, Options.FramesPerSecond) with { Index = index };
        }
    }

    /// <summary>Renders the clips of one split, in index order.</summary>
    public IEnumerable<ShapesSample> Samples(ShapesSplit split)
    {
        for (var i = 0; i < Count; i++)
        {
            // The subject (hence the split) is cheap to know before rendering.
            if (SubjectOf(ClipSeed(i)).Split == split) yield return this[i];
        }
    }

    /// <summary>
    /// Renders one clip of <paramref name="subject"/> performing <paramref name="action"/>; the
    /// trajectory jitter and background layout come from <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="UserInputException">The frame count or size is out of range.</exception>
    public static ShapesSample Render(ShapeSubject subject, ShapeAction action, int frames, int height, int width, ulong seed,
        double framesPerSecond = ShapesDatasetOptions.DefaultFramesPerSecond)
    {
        ShapesDatasetOptions.ValidateClipSize(frames, height, width);
        // Separate streams so that changing how one part draws numbers never shifts the other.
        var trajectory = TrajectoryPlanner.Plan(action, frames, height, width, new SplitMix64(SplitMix64.Derive(seed, TrajectoryStream)));
        var clip = ShapesRenderer.Render(subject, trajectory, height, width, SplitMix64.Derive(seed, BackgroundStream), framesPerSecond);
        return new ShapesSample(-1, subject, action, clip, trajectory, seed);
    }

    private ulong ClipSeed(int index) => SplitMix64.Derive(Options.Seed, (ulong)index);

    private static ShapeSubject SubjectOf(ulong clipSeed) => ShapeSubject.All[new SplitMix64(clipSeed).NextInt(ShapeSubject.All.Count)];

    /// <inheritdoc />
    public IEnumerator<ShapesSample> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
