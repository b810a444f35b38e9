using Decoupled.Video;

namespace Decoupled.Tests.Video;

/// <summary>Changing PATH affects the whole process, so this runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(MissingToolTests), DisableParallelization = true)]
public sealed class MissingToolCollection;

[Collection(nameof(MissingToolTests))]
public class MissingToolTests
{
    [Fact]
    public void Missing_ffmpeg_is_a_clear_user_error()
    {
        using var dir = new TempDir();
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", dir.Path);
            var read = Assert.Throws<UserInputException>(() => VideoReader.Read(TestMedia.City));
            Assert.Contains("city.mp4", read.Message);
            Assert.Contains("ffprobe was not found", read.Message);
            var write = Assert.Throws<UserInputException>(() => VideoWriter.WriteMp4(TestMedia.Smooth(2, 8, 8), dir.File("x.mp4")));
            Assert.Contains("ffmpeg was not found", write.Message);
            Assert.Empty(dir.Entries());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }
}
