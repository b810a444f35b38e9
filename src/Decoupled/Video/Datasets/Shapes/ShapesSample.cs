using System.Globalization;

namespace Decoupled.Video.Datasets.Shapes;

/// <summary>One generated clip with everything known about it.</summary>
/// <param name="Index">Position in its dataset (-1 for a clip rendered on its own).</param>
/// <param name="Subject">Shape, colour and background.</param>
/// <param name="Action">What the object does.</param>
/// <param name="Clip">The frames.</param>
/// <param name="Trajectory">Ground-truth centroid and size of the object in every frame.</param>
/// <param name="Seed">The seed this clip alone was drawn from.</param>
public sealed record ShapesSample(int Index, ShapeSubject Subject, ShapeAction Action, VideoClip Clip,
    IReadOnlyList<TrajectoryPoint> Trajectory, ulong Seed)
{
    /// <summary>The action's class id.</summary>
    public int ClassId => Action.Id;

    /// <summary>The action's machine name ("move_left").</summary>
    public string ActionName => Action.Name;

    /// <summary>The subject's id.</summary>
    public int SubjectId => Subject.Id;

    /// <summary>Train or test, decided by the subject alone.</summary>
    public ShapesSplit Split => Subject.Split;

    /// <summary>Caption "{colour} {shape} {action phrase}", e.g. "red square moves left".</summary>
    public string Caption => $"{Subject.Colour.Name} {Subject.ShapeName} {Action.Phrase}";

    /// <summary>
    /// The clip's background alone (<c>[H, W, 3]</c> bytes; it is the same in every frame): the
    /// ground-truth "scene" for content/motion and scene/object decompositions.
    /// </summary>
    public byte[] RenderBackground() =>
        BackgroundRenderer.Render(Subject.Texture, Clip.Height, Clip.Width, SplitMix64.Derive(Seed, ShapesDataset.BackgroundStream));

    /// <summary>
    /// Where to write this clip inside a dataset folder: "{split}/{action}/{index:D6}.{extension}",
    /// i.e. one folder per class, as the folder dataset reads them.
    /// </summary>
    public string RelativePath(string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{SplitName(Split)}/{Action.Name}/{Math.Max(Index, 0):D6}.{extension.TrimStart('.')}");

    /// <summary>The record for labels.json / labels.csv, naming the written file <paramref name="file"/>.</summary>
    public ShapesLabel ToLabel(string file) => new(
        file, Index, SplitName(Split), ClassId, Action.Name, Caption, SubjectId, Subject.Name,
        Subject.ShapeName, Subject.Colour.Name, Subject.TextureName, Clip.Frames, Clip.Height, Clip.Width, Seed,
        Trajectory.Select(p => new ShapesLabelPoint(Math.Round(p.X, 3), Math.Round(p.Y, 3), Math.Round(p.Size, 3))).ToArray());

    /// <summary>"train" or "test".</summary>
    public static string SplitName(ShapesSplit split) => split == ShapesSplit.Test ? "test" : "train";
}
