using System.Security.Cryptography;
using System.Text.Json;
using Decoupled.Video.Datasets.Shapes;

namespace Decoupled.Tests.Shapes;

public class ShapesDatasetTests
{
    private static ShapesDataset Small(ulong seed, int count = 24) =>
        new(new ShapesDatasetOptions { Count = count, Frames = 6, Height = 32, Width = 40, Seed = seed });

    [Fact]
    public void SameSeedGivesIdenticalBytesAndTrajectories()
    {
        var a = Small(42).ToList();
        var b = Small(42).ToList();
        for (var i = 0; i < a.Count; i++)
        {
            Assert.True(a[i].Clip.ContentEquals(b[i].Clip), $"clip {i} differs");
            Assert.Equal(a[i].Trajectory, b[i].Trajectory);
            Assert.Equal(a[i].Subject, b[i].Subject);
        }
    }

    [Fact]
    public void BytesArePinnedAcrossMachines()
    {
        // Rendering uses only correctly rounded arithmetic, so these bytes must not change from
        // machine to machine; a new hash here means every published dataset changed.
        var sha = SHA256.Create();
        foreach (var sample in Small(7, count: 12)) sha.TransformBlock(sample.Clip.Pixels, 0, sample.Clip.Pixels.Length, null, 0);
        sha.TransformFinalBlock([], 0, 0);
        Assert.Equal(PinnedHash, Convert.ToHexString(sha.Hash!));
    }

    private const string PinnedHash = "3BEC740637933141FDE915E4DF7816842F0A0EF25AB465945066DCA4210A3D91";

    [Fact]
    public void DifferentSeedGivesDifferentClips()
    {
        var a = Small(1).ToList();
        var b = Small(2).ToList();
        var same = a.Zip(b).Count(p => p.First.Clip.ContentEquals(p.Second.Clip));
        Assert.Equal(0, same);
    }

    [Fact]
    public void RandomAccessMatchesEnumeration()
    {
        var dataset = Small(5);
        var listed = dataset.ToList();
        Assert.Equal(dataset.Count, listed.Count);
        foreach (var i in new[] { 0, 7, 23 })
        {
            Assert.Equal(i, dataset[i].Index);
            Assert.True(dataset[i].Clip.ContentEquals(listed[i].Clip));
        }
    }

    [Fact]
    public void SplitIsBySubjectAndFixedAcrossSeeds()
    {
        var train = new HashSet<int>();
        var test = new HashSet<int>();
        foreach (var seed in new ulong[] { 1, 2 })
        {
            var dataset = new ShapesDataset(new ShapesDatasetOptions { Count = 600, Frames = 2, Height = 16, Width = 16, Seed = seed });
            foreach (var s in dataset.Samples(ShapesSplit.Train)) train.Add(s.SubjectId);
            foreach (var s in dataset.Samples(ShapesSplit.Test)) test.Add(s.SubjectId);
        }
        Assert.Empty(train.Intersect(test));
        Assert.NotEmpty(test);
        Assert.All(test, id => Assert.Equal(ShapesSplit.Test, ShapeSubject.FromId(id).Split));

        var heldOut = ShapeSubject.All.Where(s => s.Split == ShapesSplit.Test).ToList();
        Assert.Equal(ShapeSubject.All.Count / 5, heldOut.Count);
        // Held-out subjects are new combinations of parts that training does show.
        var trainSubjects = ShapeSubject.All.Where(s => s.Split == ShapesSplit.Train).ToList();
        Assert.Equal(Enum.GetValues<ShapeKind>().Length, trainSubjects.Select(s => s.Shape).Distinct().Count());
        Assert.Equal(ShapeColour.All.Count, trainSubjects.Select(s => s.Colour).Distinct().Count());
        Assert.Equal(Enum.GetValues<BackgroundTexture>().Length, trainSubjects.Select(s => s.Texture).Distinct().Count());
        Assert.Equal(Enum.GetValues<ShapeKind>().Length, heldOut.Select(s => s.Shape).Distinct().Count());
    }

    [Fact]
    public void EveryActionAndSubjectIsReachable()
    {
        var dataset = new ShapesDataset(new ShapesDatasetOptions { Count = 1500, Frames = 2, Height = 16, Width = 16, Seed = 3 });
        var samples = dataset.ToList();
        Assert.Equal(ShapeAction.All.Count, samples.Select(s => s.ClassId).Distinct().Count());
        Assert.Equal(ShapeSubject.All.Count, samples.Select(s => s.SubjectId).Distinct().Count());
        Assert.True(ShapeAction.All.Count >= 8);
        Assert.Equal(ShapeAction.All.Count, ShapeAction.All.Select(a => a.Phrase).Distinct().Count());
    }

    [Fact]
    public void IdsRoundTrip()
    {
        foreach (var subject in ShapeSubject.All)
        {
            Assert.Same(subject, ShapeSubject.FromId(subject.Id));
            Assert.Same(subject, ShapeSubject.Of(subject.Shape, subject.Colour, subject.Texture));
        }
        foreach (var action in ShapeAction.All)
        {
            Assert.Same(action, ShapeAction.FromId(action.Id));
            Assert.Same(action, ShapeAction.Parse(action.Name.ToUpperInvariant().Replace('_', '-')));
            Assert.Same(action, action.Reversed.Reversed);
        }
        Assert.Equal(ShapeAction.MoveLeft, ShapeAction.MoveRight.Reversed);
        Assert.Equal(ShapeAction.Shrink, ShapeAction.Grow.Reversed);
    }

    [Fact]
    public void CaptionsAndLabelsMatchTheSample()
    {
        foreach (var s in Small(9))
        {
            Assert.Equal($"{s.Subject.Colour.Name} {s.Subject.ShapeName} {s.Action.Phrase}", s.Caption);
            Assert.StartsWith(s.Subject.Colour.Name + " ", s.Caption);
            var label = s.ToLabel(s.RelativePath("mp4"));
            Assert.Equal(s.ClassId, label.ClassId);
            Assert.Equal(s.Action.Name, label.Action);
            Assert.Equal(s.SubjectId, label.SubjectId);
            Assert.Equal(ShapesSample.SplitName(s.Split), label.Split);
            Assert.Equal(s.Clip.Frames, label.Trajectory.Count);
            Assert.Equal($"{label.Split}/{s.Action.Name}/{s.Index:D6}.mp4", label.File);
            var row = ShapesLabelWriter.CsvRow(label).Split(',');
            Assert.Equal(ShapesLabelWriter.CsvHeader.Split(',').Length, row.Length);
            Assert.Equal(s.Caption, row[5]);
        }
        Assert.Equal("red square moves left",
            ShapesDataset.Render(ShapeSubject.Of(ShapeKind.Square, ShapeColour.All[0], BackgroundTexture.Checker), ShapeAction.MoveLeft, 2, 16, 16, 1).Caption);
    }

    [Fact]
    public void LabelFilesAreReadable()
    {
        var labels = Small(4, count: 5).Select(s => s.ToLabel(s.RelativePath(".mp4"))).ToList();
        using var json = new MemoryStream();
        ShapesLabelWriter.WriteJson(json, labels);
        using var doc = JsonDocument.Parse(json.ToArray());
        Assert.Equal(ShapeAction.All.Count, doc.RootElement.GetProperty("actions").GetArrayLength());
        var clips = doc.RootElement.GetProperty("clips");
        Assert.Equal(5, clips.GetArrayLength());
        Assert.Equal(labels[2].Caption, clips[2].GetProperty("caption").GetString());
        Assert.Equal(labels[2].ClassId, clips[2].GetProperty("class_id").GetInt32());
        Assert.Equal(6, clips[2].GetProperty("trajectory").GetArrayLength());

        var csv = new StringWriter();
        ShapesLabelWriter.WriteCsv(csv, labels);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal(ShapesLabelWriter.CsvHeader, lines[0]);
    }

    [Fact]
    public void CsvQuotesFieldsThatNeedIt()
    {
        var label = Small(4, count: 1)[0].ToLabel("dir,with \"comma\"/a.mp4");
        Assert.StartsWith("\"dir,with \"\"comma\"\"/a.mp4\",", ShapesLabelWriter.CsvRow(label));
    }

    [Theory]
    [InlineData(0, 32, 32, 10)]
    [InlineData(1, 32, 32, 10)]
    [InlineData(8, 15, 32, 10)]
    [InlineData(8, 32, 8, 10)]
    [InlineData(8, 32, 32, 0)]
    public void BadOptionsAreUserErrors(int frames, int height, int width, int count)
    {
        var e = Assert.Throws<UserInputException>(() =>
            new ShapesDataset(new ShapesDatasetOptions { Count = count, Frames = frames, Height = height, Width = width }));
        Assert.Contains("shapes dataset", e.Message);
        // Sizes are checked the same way when a single clip is rendered.
        if (count > 0)
            Assert.Throws<UserInputException>(() => ShapesDataset.Render(ShapeSubject.All[0], ShapeAction.MoveUp, frames, height, width, 1));
    }

    [Fact]
    public void UnknownActionAndBadIdsAreRejected()
    {
        var e = Assert.Throws<UserInputException>(() => ShapeAction.Parse("fly"));
        Assert.Contains("fly", e.Message);
        Assert.Contains("move_left", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapeAction.FromId(ShapeAction.All.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapeSubject.FromId(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Small(1)[24]);
    }
}
