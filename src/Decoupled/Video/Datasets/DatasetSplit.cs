namespace Decoupled.Video.Datasets;

/// <summary>Which part of a dataset to use.</summary>
public enum DatasetSplit
{
    /// <summary>Every clip.</summary>
    All,

    /// <summary>Clips assigned to training.</summary>
    Train,

    /// <summary>Clips held out for testing.</summary>
    Test,
}
