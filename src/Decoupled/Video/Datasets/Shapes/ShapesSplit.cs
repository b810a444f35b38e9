namespace Decoupled.Video.Datasets.Shapes;

/// <summary>Which part of the dataset a subject (and so every clip of it) belongs to.</summary>
public enum ShapesSplit
{
    /// <summary>Subjects used for training.</summary>
    Train,
    /// <summary>Held-out subjects: never seen in training.</summary>
    Test,
}
