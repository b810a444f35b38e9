namespace Decoupled.Video.Datasets.Shapes;

/// <summary>The family an action belongs to; the tracker measures one kind of evidence per family.</summary>
public enum MotionKind
{
    /// <summary>Constant-velocity straight motion (8 compass directions).</summary>
    Translate,
    /// <summary>Falls onto the floor and bounces back up, in place horizontally.</summary>
    Bounce,
    /// <summary>Grows or shrinks about a fixed centre.</summary>
    Scale,
}
