namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// One action class. Eleven classes: eight straight moves (4 axis + 4 diagonal directions),
/// bounce, grow and shrink. Grow and shrink are separate classes so that playing any clip
/// backwards gives a well-defined class (<see cref="Reversed"/>).
/// </summary>
public sealed record ShapeAction
{
    private ShapeAction(int id, string name, string phrase, MotionKind kind, int dirX, int dirY, int scaleSign, int reversedId)
    {
        Id = id;
        Name = name;
        Phrase = phrase;
        Kind = kind;
        DirX = dirX;
        DirY = dirY;
        ScaleSign = scaleSign;
        ReversedId = reversedId;
    }

    /// <summary>Moves left.</summary>
    public static ShapeAction MoveLeft { get; } = new(0, "move_left", "moves left", MotionKind.Translate, -1, 0, 0, 1);
    /// <summary>Moves right.</summary>
    public static ShapeAction MoveRight { get; } = new(1, "move_right", "moves right", MotionKind.Translate, 1, 0, 0, 0);
    /// <summary>Moves up.</summary>
    public static ShapeAction MoveUp { get; } = new(2, "move_up", "moves up", MotionKind.Translate, 0, -1, 0, 3);
    /// <summary>Moves down.</summary>
    public static ShapeAction MoveDown { get; } = new(3, "move_down", "moves down", MotionKind.Translate, 0, 1, 0, 2);
    /// <summary>Moves up and to the left.</summary>
    public static ShapeAction MoveUpLeft { get; } = new(4, "move_up_left", "moves up-left", MotionKind.Translate, -1, -1, 0, 7);
    /// <summary>Moves up and to the right.</summary>
    public static ShapeAction MoveUpRight { get; } = new(5, "move_up_right", "moves up-right", MotionKind.Translate, 1, -1, 0, 6);
    /// <summary>Moves down and to the left.</summary>
    public static ShapeAction MoveDownLeft { get; } = new(6, "move_down_left", "moves down-left", MotionKind.Translate, -1, 1, 0, 5);
    /// <summary>Moves down and to the right.</summary>
    public static ShapeAction MoveDownRight { get; } = new(7, "move_down_right", "moves down-right", MotionKind.Translate, 1, 1, 0, 4);
    /// <summary>Falls, bounces off the floor and rises again (needs at least 3 frames to be visible).</summary>
    public static ShapeAction Bounce { get; } = new(8, "bounce", "bounces", MotionKind.Bounce, 0, 0, 0, 8);
    /// <summary>Grows about a fixed centre.</summary>
    public static ShapeAction Grow { get; } = new(9, "grow", "grows", MotionKind.Scale, 0, 0, 1, 10);
    /// <summary>Shrinks about a fixed centre.</summary>
    public static ShapeAction Shrink { get; } = new(10, "shrink", "shrinks", MotionKind.Scale, 0, 0, -1, 9);

    /// <summary>Every action, indexed by <see cref="Id"/>.</summary>
    public static IReadOnlyList<ShapeAction> All { get; } =
        [MoveLeft, MoveRight, MoveUp, MoveDown, MoveUpLeft, MoveUpRight, MoveDownLeft, MoveDownRight, Bounce, Grow, Shrink];

    /// <summary>Class id in [0, <see cref="All"/>.Count).</summary>
    public int Id { get; }

    /// <summary>Machine name used in label files and folder names ("move_left").</summary>
    public string Name { get; }

    /// <summary>Verb phrase used in captions ("moves left").</summary>
    public string Phrase { get; }

    /// <summary>Which family of motion this is.</summary>
    public MotionKind Kind { get; }

    /// <summary>Horizontal direction of a translation: -1 left, 0 none, +1 right.</summary>
    public int DirX { get; }

    /// <summary>Vertical direction of a translation in image coordinates: -1 up, 0 none, +1 down.</summary>
    public int DirY { get; }

    /// <summary>+1 grows, -1 shrinks, 0 keeps its size.</summary>
    public int ScaleSign { get; }

    private int ReversedId { get; }

    /// <summary>The action seen when a clip of this action is played backwards (bounce is its own reverse).</summary>
    public ShapeAction Reversed => All[ReversedId];

    /// <summary>The action with the given id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in [0, All.Count).</exception>
    public static ShapeAction FromId(int id)
    {
        if ((uint)id >= (uint)All.Count)
            throw new ArgumentOutOfRangeException(nameof(id), $"action id must be in 0..{All.Count - 1}, got {id}");
        return All[id];
    }

    /// <summary>The action named <paramref name="name"/> (its <see cref="Name"/>, e.g. "move_left", or "move-left"; case-insensitive).</summary>
    /// <exception cref="UserInputException">No action has that name; the message lists the valid names.</exception>
    public static ShapeAction Parse(string name)
    {
        var key = name.Trim().Replace('-', '_');
        foreach (var action in All)
            if (string.Equals(action.Name, key, StringComparison.OrdinalIgnoreCase)) return action;
        throw new UserInputException($"unknown shapes action '{name}'; valid actions: {string.Join(", ", All.Select(a => a.Name))}");
    }

    /// <summary>Finds the translation whose direction signs are (<paramref name="dirX"/>, <paramref name="dirY"/>), or null for (0, 0).</summary>
    public static ShapeAction? Translation(int dirX, int dirY) =>
        All.FirstOrDefault(a => a.Kind == MotionKind.Translate && a.DirX == Math.Sign(dirX) && a.DirY == Math.Sign(dirY));

    /// <inheritdoc />
    public override string ToString() => Name;
}
