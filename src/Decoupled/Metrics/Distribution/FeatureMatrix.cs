using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Distribution;

/// <summary>
/// A set of feature vectors, one per row (<c>[N, d]</c>: N clips or images, d feature dimensions,
/// e.g. I3D's 400 logits for FVD or Inception's 2048 pool features for FID), held as row-major
/// float64. Every distribution metric takes its input as this type; arrays and tensors convert
/// implicitly, so callers pass <c>double[,]</c>, <c>double[][]</c> or a <c>[N, d]</c> tensor.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly double[] values;

    private FeatureMatrix(double[] values, int rows, int columns)
    {
        // NaN or infinity would silently poison every mean and covariance downstream; a feature
        // extractor that produced them is broken, and the user should hear it here.
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"feature row {i / columns}, column {i % columns} is {values[i]}; features must be finite numbers");
        this.values = values;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of feature vectors (N).</summary>
    public int Rows { get; }

    /// <summary>Dimension of each feature vector (d).</summary>
    public int Columns { get; }

    /// <summary>Element <c>[row, column]</c>.</summary>
    public double this[int row, int column] => values[(long)row * Columns + column];

    /// <summary>A copy of a rectangular <c>[N, d]</c> array.</summary>
    public static FeatureMatrix From(double[,] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int rows = features.GetLength(0), columns = features.GetLength(1);
        CheckShape(rows, columns);
        var copy = new double[(long)rows * columns];
        Buffer.BlockCopy(features, 0, copy, 0, copy.Length * sizeof(double));
        return new FeatureMatrix(copy, rows, columns);
    }

    /// <summary>A copy of N rows of equal length d.</summary>
    public static FeatureMatrix From(double[][] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int rows = features.Length, columns = rows == 0 ? 0 : features[0]?.Length ?? 0;
        CheckShape(rows, columns);
        var copy = new double[(long)rows * columns];
        for (int r = 0; r < rows; r++)
        {
            var row = features[r] ?? throw new ArgumentException($"feature row {r} is null");
            if (row.Length != columns)
                throw new ArgumentException($"feature rows differ in length: row 0 has {columns} values, row {r} has {row.Length}");
            row.CopyTo(copy, (long)r * columns);
        }
        return new FeatureMatrix(copy, rows, columns);
    }

    /// <summary>A float64 copy of a <c>[N, d]</c> tensor of any floating or integer type, on any device.</summary>
    public static FeatureMatrix From(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2)
            throw new ArgumentException($"features must be a [N, d] tensor, got shape [{string.Join(", ", features.shape)}]");
        if (features.is_complex())
            throw new ArgumentException("features must be real numbers, got a complex tensor");
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var host = features.detach().to(ScalarType.Float64).cpu().contiguous();
        int rows = (int)features.shape[0], columns = (int)features.shape[1];
        CheckShape(rows, columns);
        return new FeatureMatrix(host.data<double>().ToArray(), rows, columns);
    }

    /// <summary>Copies <paramref name="features"/> (see <see cref="From(double[,])"/>).</summary>
    public static implicit operator FeatureMatrix(double[,] features) => From(features);

    /// <summary>Copies <paramref name="features"/> (see <see cref="From(double[][])"/>).</summary>
    public static implicit operator FeatureMatrix(double[][] features) => From(features);

    /// <summary>Copies <paramref name="features"/> to float64 on the CPU (see <see cref="From(Tensor)"/>).</summary>
    public static implicit operator FeatureMatrix(Tensor features) => From(features);

    /// <summary>Row <paramref name="row"/> as a new array.</summary>
    public double[] Row(int row) => values.AsSpan((int)((long)row * Columns), Columns).ToArray();

    /// <summary>The rows at <paramref name="indices"/>, in that order, as a new matrix.</summary>
    public FeatureMatrix SelectRows(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var copy = new double[(long)indices.Count * Columns];
        for (int i = 0; i < indices.Count; i++)
            values.AsSpan((int)((long)indices[i] * Columns), Columns).CopyTo(copy.AsSpan((int)((long)i * Columns), Columns));
        return new FeatureMatrix(copy, indices.Count, Columns);
    }

    /// <summary>A new float64 CPU tensor <c>[N, d]</c> holding these features (caller disposes it).</summary>
    internal Tensor ToTensor()
    {
        TorchRuntime.Initialize();
        return torch.tensor(values, new long[] { Rows, Columns }, ScalarType.Float64);
    }

    private static void CheckShape(int rows, int columns)
    {
        if (rows == 0) throw new ArgumentException("the feature set is empty (0 rows)");
        if (columns == 0) throw new ArgumentException("feature vectors have 0 dimensions");
    }
}
