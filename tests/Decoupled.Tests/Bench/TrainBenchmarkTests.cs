using Decoupled.Bench;

namespace Decoupled.Tests.Bench;

public class TrainBenchmarkTests
{
    [Fact]
    public void EveryColumnIsMeasuredAndRatiosAreToTheFirstModel()
    {
        var options = new TrainBenchmarkOptions
        {
            Models = ["vdm", "ed-vdm"], Frames = 4, Size = 32, Width = 8, Multipliers = [1, 2], Steps = 1, SampleSteps = 2,
        };
        var result = TrainBenchmark.Run(options);
        Assert.Equal(["vdm", "ed-vdm"], result.Models.Select(m => m.Model));
        foreach (var row in result.Models)
        {
            Assert.True(row.Gflops > 0 && row.PeakMemoryMb > 0 && row.SecondsPerStep > 0 && row.SecondsPerCachedStep > 0 && row.SecondsPerVideo > 0 && row.Parameters > 0,
                $"{row.Model}: a column was not measured");
        }
        var vdm = result.Models[0];
        var edVdm = result.Models[1];
        Assert.Equal(1.0, vdm.RatioToReference!["gflops"]);
        Assert.Equal(edVdm.SecondsPerCachedStep!.Value / vdm.SecondsPerCachedStep!.Value, edVdm.RatioToReference!["seconds_per_cached_step"], 12);
        // ED-VDM's U-Net works on the 16x smaller block grid.
        Assert.True(edVdm.Gflops < vdm.Gflops / 10, $"ed-vdm {edVdm.Gflops} vs vdm {vdm.Gflops} GFLOPs");
        Assert.Contains("s/step, cached target", result.ToMarkdown());
    }
}
