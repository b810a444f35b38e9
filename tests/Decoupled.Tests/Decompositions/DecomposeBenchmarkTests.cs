using System.Text.Json;
using Decoupled.Bench;

namespace Decoupled.Tests.Decompositions;

public class DecomposeBenchmarkTests
{
    [Theory]
    [InlineData(32, 32, 16, 16, 4 * 17 * 17)]   // every block is a corner: 17 x 17 candidates each
    [InlineData(48, 16, 16, 1, 1 * (2 + 3 + 2))] // one column: 1 horizontal candidate, 2/3/2 vertical
    [InlineData(576, 768, 16, 16, 1794112)]
    public void CandidatesCountOnlyVectorsInsideThePaddedFrame(int height, int width, int block, int range, long expected) =>
        Assert.Equal(expected, DecomposeBenchmark.CandidatesPerFrame(height, width, block, range));

    [Fact]
    public void RunReportsSnakeCaseJsonAndMarkdown()
    {
        var result = DecomposeBenchmark.Run(new DecomposeBenchmarkOptions { Sizes = [(32, 48)], SecondsPerMeasurement = 0.01 });
        var size = Assert.Single(result.Sizes);
        Assert.True(size.ExhaustiveSearchFps > 0 && size.DiamondSearchFps > 0);
        Assert.True(result.Cpu.CeilingBytesPerSecond > 0 && size.FractionOfCeiling > 0);
        using var json = JsonDocument.Parse(result.ToJson());
        var first = json.RootElement.GetProperty("sizes")[0];
        Assert.True(first.GetProperty("fraction_of_ceiling").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("cpu").GetProperty("sad_instructions_per_cycle").GetDouble() > 0);
        var dir = Directory.CreateTempSubdirectory("decompose-bench");
        try
        {
            result.WriteJson(Path.Combine(dir.FullName, "r.json"));
            result.WriteMarkdown(Path.Combine(dir.FullName, "r.md"));
            Assert.Contains("| 48x32 |", File.ReadAllText(Path.Combine(dir.FullName, "r.md")));
            Assert.Equal(result.ToJson(), File.ReadAllText(Path.Combine(dir.FullName, "r.json")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
