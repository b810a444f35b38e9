using Decoupled.Pipelines.Checkpoints;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using static TorchSharp.torch;

namespace Decoupled.Tests.Checkpoints;

/// <summary>A config whose serialization fails: a stand-in for a run killed while the new checkpoint is half written.</summary>
public sealed record ExplodingConfig(int Width) : IModelConfig
{
    /// <inheritdoc/>
    public string ModelType => "tiny";

    public int Boom => throw new InvalidOperationException("simulated crash while writing config.json");
}

public class AtomicCheckpointTests
{
    [Fact]
    public void FailedSaveKeepsThePreviousCheckpointIntactAndLeavesNoTemp()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var folder = dir.File("checkpoint");
        var first = TinyConfig.Build(4);
        CheckpointFolder.Save(folder, new TinyConfig(4, Note: "first"), first);
        var before = Snapshot(folder);

        // model.safetensors of the new checkpoint is already written when config.json fails.
        var error = Assert.Throws<InvalidOperationException>(() => CheckpointFolder.Save(folder, new ExplodingConfig(4), TinyConfig.Build(4)));
        Assert.Contains("simulated crash", error.Message);

        Assert.Equal(["checkpoint"], dir.Entries());
        Assert.Equal(before, Snapshot(folder));
        Assert.Equal("first", CheckpointFolder.LoadConfig<TinyConfig>(folder).Note);
        var loaded = TinyConfig.Build(4);
        CheckpointFolder.LoadWeights(folder, loaded);
        CheckpointFolderTests.AssertSameState(first, loaded);
    }

    [Fact]
    public void SuccessfulSaveReplacesTheWholeFolder()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var folder = dir.File("checkpoint");
        CheckpointFolder.Save(folder, new TinyConfig(4), TinyConfig.Build(4), ema: TinyConfig.Build(4));
        CheckpointFolder.Save(folder, new TinyConfig(6, Note: "second"), TinyConfig.Build(6));

        Assert.Equal(["checkpoint"], dir.Entries());
        Assert.False(CheckpointFolder.HasEma(folder), "a file of the old checkpoint survived the replacement");
        Assert.Equal("second", CheckpointFolder.LoadConfig<TinyConfig>(folder).Note);
    }

    [Fact]
    public void KillBetweenTheRenamesIsRecovered()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        var folder = dir.File("checkpoint");
        CheckpointFolder.Save(folder, new TinyConfig(4, Note: "old"), TinyConfig.Build(4));

        // Killed after moving the old checkpoint aside, before the new one took its place; a temp folder is left too.
        Directory.Move(folder, folder + ".old");
        Directory.CreateDirectory(dir.File(".checkpoint.0123.tmp"));
        Assert.Equal("old", CheckpointFolder.LoadConfig<TinyConfig>(folder).Note);
        CheckpointFolder.Save(folder, new TinyConfig(4, Note: "new"), TinyConfig.Build(4));
        Assert.Equal(["checkpoint"], dir.Entries());
        Assert.Equal("new", CheckpointFolder.LoadConfig<TinyConfig>(folder).Note);

        // Killed after the new checkpoint was in place, before the old one was deleted.
        Directory.CreateDirectory(folder + ".old");
        CheckpointFolder.Save(folder, new TinyConfig(4, Note: "newer"), TinyConfig.Build(4));
        Assert.Equal(["checkpoint"], dir.Entries());
        Assert.Equal("newer", CheckpointFolder.LoadConfig<TinyConfig>(folder).Note);
    }

    [Fact]
    public void AtomicFolderTurnsIoFailuresIntoUserErrorsAndKeepsTheOldContent()
    {
        using var dir = new TempDir();
        var folder = dir.File("out");
        AtomicFolder.Write(folder, temp => File.WriteAllText(Path.Combine(temp, "a.txt"), "one"));
        var error = Assert.Throws<UserInputException>(() => AtomicFolder.Write(folder, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "a.txt"), "two");
            throw new IOException("disk full");
        }));
        Assert.Equal($"{folder}: cannot write (disk full)", error.Message);
        Assert.Equal(["out"], dir.Entries());
        Assert.Equal("one", File.ReadAllText(Path.Combine(folder, "a.txt")));
    }

    private static string[] Snapshot(string folder) =>
        Directory.GetFiles(folder).Order().Select(f => $"{Path.GetFileName(f)}={Convert.ToHexString(File.ReadAllBytes(f))}").ToArray();
}
