using System.Globalization;

namespace Decoupled.Video.Datasets.Shapes;

/// <summary>
/// Who performs an action: a shape of one colour in front of one background texture.
/// There are 5 shapes x 6 colours x 4 textures = 120 subjects; 24 of them (one shape for every
/// colour/texture pair) are held out as the test split.
/// </summary>
public sealed record ShapeSubject
{
    private static readonly int ShapeCount = Enum.GetValues<ShapeKind>().Length;
    private static readonly int TextureCount = Enum.GetValues<BackgroundTexture>().Length;

    private readonly int _colourIndex;

    private ShapeSubject(int id, ShapeKind shape, int colourIndex, BackgroundTexture texture)
    {
        Id = id;
        _colourIndex = colourIndex;
        Shape = shape;
        Colour = ShapeColour.All[colourIndex];
        Texture = texture;
    }

    /// <summary>Every subject, indexed by <see cref="Id"/>.</summary>
    public static IReadOnlyList<ShapeSubject> All { get; } = CreateAll();

    /// <summary>Dense id in [0, <see cref="All"/>.Count).</summary>
    public int Id { get; }

    /// <summary>The object's outline.</summary>
    public ShapeKind Shape { get; }

    /// <summary>The object's colour.</summary>
    public ShapeColour Colour { get; }

    /// <summary>The background texture.</summary>
    public BackgroundTexture Texture { get; }

    /// <summary>Lower-case shape name used in captions ("square").</summary>
    public string ShapeName => Shape.ToString().ToLowerInvariant();

    /// <summary>Lower-case texture name ("stripes").</summary>
    public string TextureName => Texture.ToString().ToLowerInvariant();

    /// <summary>Readable unique name, e.g. "red-square-stripes".</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Colour.Name}-{ShapeName}-{TextureName}");

    /// <summary>
    /// The split is a fixed property of the subject, independent of any seed, so that datasets
    /// made with different seeds never leak test subjects into training. With 5 shapes, the rule
    /// picks exactly one held-out shape for every colour/texture pair, so every shape, colour and
    /// texture still appears in training (held-out subjects are new combinations).
    /// </summary>
    public ShapesSplit Split =>
        ((int)Shape + 2 * _colourIndex + 3 * (int)Texture) % ShapeCount == 0 ? ShapesSplit.Test : ShapesSplit.Train;

    /// <summary>The subject with the given id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in [0, All.Count).</exception>
    public static ShapeSubject FromId(int id)
    {
        if ((uint)id >= (uint)All.Count)
            throw new ArgumentOutOfRangeException(nameof(id), $"subject id must be in 0..{All.Count - 1}, got {id}");
        return All[id];
    }

    /// <summary>The subject made of these parts.</summary>
    public static ShapeSubject Of(ShapeKind shape, ShapeColour colour, BackgroundTexture texture)
    {
        var colourIndex = IndexOfColour(colour);
        return All[((int)shape * ShapeColour.All.Count + colourIndex) * TextureCount + (int)texture];
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static int IndexOfColour(ShapeColour colour)
    {
        for (var i = 0; i < ShapeColour.All.Count; i++)
            if (ShapeColour.All[i] == colour) return i;
        throw new ArgumentException($"'{colour.Name}' is not one of the dataset colours", nameof(colour));
    }

    private static ShapeSubject[] CreateAll()
    {
        var colours = ShapeColour.All;
        var subjects = new ShapeSubject[ShapeCount * colours.Count * TextureCount];
        for (var s = 0; s < ShapeCount; s++)
            for (var c = 0; c < colours.Count; c++)
                for (var t = 0; t < TextureCount; t++)
                {
                    var id = (s * colours.Count + c) * TextureCount + t;
                    subjects[id] = new ShapeSubject(id, (ShapeKind)s, c, (BackgroundTexture)t);
                }
        return subjects;
    }
}
