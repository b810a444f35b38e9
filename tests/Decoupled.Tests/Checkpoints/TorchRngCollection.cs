namespace Decoupled.Tests.Checkpoints;

/// <summary>
/// Tests that compare two runs bit for bit need torch's global RNG to themselves: xUnit runs other
/// test classes in parallel, and any of them drawing random numbers (weight init, randn) shifts
/// the sequence between the runs. This collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch global RNG (not parallel)";
}
