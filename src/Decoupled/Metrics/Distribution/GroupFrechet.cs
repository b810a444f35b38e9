namespace Decoupled.Metrics.Distribution;

/// <summary>The Frechet distance of one group (one class for cFVD, one subject for sFVD).</summary>
/// <param name="Key">The group's key.</param>
/// <param name="Distance">Squared Frechet distance between the group's real and fake features.</param>
/// <param name="RealCount">Real feature vectors in the group.</param>
/// <param name="FakeCount">Fake feature vectors in the group.</param>
public sealed record GroupFrechet<TKey>(TKey Key, double Distance, int RealCount, int FakeCount) where TKey : notnull;
