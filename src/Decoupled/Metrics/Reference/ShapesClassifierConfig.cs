namespace Decoupled.Metrics.Reference;

/// <summary>
/// Shape of the reference video classifier (<see cref="ShapesClassifier"/>): the clip size it
/// scores, a 3x3 stem that halves height and width, one (2+1)D block per entry of
/// <see cref="ChannelMultipliers"/> (each halving height and width, never time), and a 1x1x1
/// projection to <see cref="FeatureDim"/> features that are pooled and read by a linear head.
/// The defaults give about 53 thousand parameters.
/// </summary>
public sealed record ShapesClassifierConfig
{
    /// <summary>Frames per clip it was trained on (and scores).</summary>
    public required int Frames { get; init; }

    /// <summary>Frame height it was trained on.</summary>
    public required int Height { get; init; }

    /// <summary>Frame width it was trained on.</summary>
    public required int Width { get; init; }

    /// <summary>Channels of the stem; block i has <c>BaseChannels * ChannelMultipliers[i]</c>.</summary>
    public int BaseChannels { get; init; } = 16;

    /// <summary>Width multipliers of the (2+1)D blocks, each halving height and width once more after the stem.</summary>
    public IReadOnlyList<int> ChannelMultipliers { get; init; } = [1, 2, 4];

    /// <summary>Length of the pooled feature vector (the Frechet distance's space).</summary>
    public int FeatureDim { get; init; } = 128;

    /// <summary>Classes of the head (the 11 shapes actions).</summary>
    public int Classes { get; init; } = 11;

    /// <summary>Frames one temporal convolution sees (odd).</summary>
    public int TemporalKernel { get; init; } = 3;

    /// <summary>GroupNorm groups (narrower layers use the largest divisor below it).</summary>
    public int NormGroups { get; init; } = 8;

    /// <summary>Width of block <paramref name="block"/>.</summary>
    public int BlockChannels(int block) => BaseChannels * ChannelMultipliers[block];

    /// <summary>Rejects shapes that cannot be built, with a <see cref="UserInputException"/> naming the field.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new UserInputException($"shapes classifier: {message}");
        }
        Require(Frames >= 1 && Height >= 1 && Width >= 1, $"clip size must be positive, got {Frames}x{Height}x{Width}");
        Require(BaseChannels >= 1, $"base channels must be positive, got {BaseChannels}");
        Require(ChannelMultipliers.Count >= 1 && ChannelMultipliers.All(m => m >= 1), "channel multipliers must be one or more positive integers");
        Require(FeatureDim >= 1, $"feature dimension must be positive, got {FeatureDim}");
        Require(Classes >= 2, $"a classifier needs at least 2 classes, got {Classes}");
        Require(TemporalKernel >= 1 && TemporalKernel % 2 == 1, $"temporal kernel must be odd and positive, got {TemporalKernel}");
        Require(NormGroups >= 1, $"norm groups must be positive, got {NormGroups}");
    }
}
