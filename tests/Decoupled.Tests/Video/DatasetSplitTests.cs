using Decoupled.Video.Datasets;

namespace Decoupled.Tests.Video;

/// <summary>The split works on names alone, so these datasets are empty files that are never decoded.</summary>
public class DatasetSplitTests
{
    static TempDir KthLike()
    {
        var dir = new TempDir();
        foreach (var action in new[] { "boxing", "running", "walking" })
        {
            Directory.CreateDirectory(dir.File(action));
            for (int person = 1; person <= 25; person++)
                for (int scene = 1; scene <= 4; scene++)
                    File.WriteAllText(Path.Combine(dir.File(action), $"person{person:D2}_{action}_d{scene}_uncomp.avi"), "");
        }
        return dir;
    }

    static FolderDataset Open(string root, DatasetSplit split, string? group = null, IReadOnlySet<string>? testGroups = null, double fraction = 0.2) =>
        FolderDataset.Open(root, new FolderDatasetOptions { Split = split, GroupPattern = group, TestGroups = testGroups, TestFraction = fraction });

    [Fact]
    public void Train_and_test_are_disjoint_cover_everything_and_repeat_exactly()
    {
        using var dir = KthLike();
        var all = Open(dir.Path, DatasetSplit.All).Clips.Select(c => c.RelativePath).ToHashSet();
        var train = Open(dir.Path, DatasetSplit.Train).Clips.Select(c => c.RelativePath).ToHashSet();
        var test = Open(dir.Path, DatasetSplit.Test).Clips.Select(c => c.RelativePath).ToHashSet();
        Assert.Equal(300, all.Count);
        Assert.Empty(train.Intersect(test));
        Assert.True(all.SetEquals(train.Union(test)));
        Assert.InRange(test.Count, 30, 90); // about 20 % of 300
        Assert.True(test.SetEquals(Open(dir.Path, DatasetSplit.Test).Clips.Select(c => c.RelativePath)));
    }

    [Fact]
    public void Group_pattern_keeps_each_person_on_one_side()
    {
        using var dir = KthLike();
        var test = Open(dir.Path, DatasetSplit.Test, group: @"person(\d+)_").Clips;
        var train = Open(dir.Path, DatasetSplit.Train, group: @"person(\d+)_").Clips;
        var testPersons = test.Select(c => c.Group).ToHashSet();
        Assert.Empty(testPersons.Intersect(train.Select(c => c.Group)));
        Assert.NotEmpty(testPersons);
        // Whole persons move: 3 actions x 4 scenes each.
        Assert.Equal(12 * testPersons.Count, test.Count);
        Assert.All(test, c => Assert.Matches(@"^\d\d$", c.Group));
    }

    [Fact]
    public void Explicit_test_groups_give_the_standard_kth_split()
    {
        using var dir = KthLike();
        var persons17to25 = Enumerable.Range(17, 9).Select(p => p.ToString("D2")).ToHashSet();
        var test = Open(dir.Path, DatasetSplit.Test, group: @"person(\d+)_", testGroups: persons17to25).Clips;
        Assert.Equal(9 * 12, test.Count);
        Assert.All(test, c => Assert.Contains(c.Group, persons17to25));
        Assert.Equal(16 * 12, Open(dir.Path, DatasetSplit.Train, group: @"person(\d+)_", testGroups: persons17to25).Clips.Count);
    }

    [Fact]
    public void Class_ids_do_not_depend_on_the_split()
    {
        using var dir = KthLike();
        var test = Open(dir.Path, DatasetSplit.Test);
        Assert.Equal(["boxing", "running", "walking"], test.ClassNames);
        Assert.All(test.Clips, c => Assert.Equal(test.ClassNames[c.ClassId], c.ClassName));
    }

    [Theory]
    [InlineData("push/train_00001", "push/test_00001", @"^[^/]+/(train|test)_", "train", "test")]
    [InlineData("ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi", "ApplyEyeMakeup/v_ApplyEyeMakeup_g03_c02.avi", @"_g(\d+)_", "08", "03")]
    [InlineData("a01_swipe_left/a1_s1_t1_color.avi", "a02_swipe_right/a2_s7_t4_color.avi", @"_s(\d+)_", "1", "7")]
    [InlineData("walk/daria_walk.avi", "run/ido_run.avi", @"^[^/]+/([a-z]+)_", "daria", "ido")]
    [InlineData("g01_i_have_command/s01_r01.avi", "g02_all_clear/s12_r20.avi", @"/s(\d+)_", "01", "12")]
    public void Documented_group_patterns_extract_the_subject(string first, string second, string pattern, string firstGroup, string secondGroup)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        Assert.Equal(firstGroup, DatasetSplitter.GroupOf(first, regex));
        Assert.Equal(secondGroup, DatasetSplitter.GroupOf(second, regex));
        Assert.Equal(DatasetSplit.Test, DatasetSplitter.SplitOf(secondGroup, 0, new HashSet<string> { secondGroup }));
    }

    [Fact]
    public void Hash_is_pinned_so_splits_never_move()
    {
        // SHA-256("boxing/person01_boxing_d1_uncomp.avi") starts with these bits; a change here moves every split.
        double u = DatasetSplitter.HashUnit("boxing/person01_boxing_d1_uncomp.avi");
        Assert.Equal(PinnedHashUnit, u, 12);
        Assert.Equal(DatasetSplit.Test, DatasetSplitter.SplitOf("x", 1.0));
        Assert.Equal(DatasetSplit.Train, DatasetSplitter.SplitOf("x", 0.0));
    }

    const double PinnedHashUnit = 0.5968645619715376;
}
