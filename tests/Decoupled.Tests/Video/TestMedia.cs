using Decoupled.Video;

namespace Decoupled.Tests.Video;

/// <summary>Fixture paths, synthetic clips and image-quality helpers shared by the video tests.</summary>
internal static class TestMedia
{
    public static string Fixture(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    public static string City => Fixture("city.mp4");

    /// <summary>
    /// A clip whose frame index is readable from every pixel: red = 8 * t, green and blue a
    /// fixed pattern of x and y. Lossless round trips must keep it exactly.
    /// </summary>
    public static VideoClip Indexed(int frames, int width, int height, double fps = 25)
    {
        var clip = new VideoClip(frames, height, width, fps);
        for (int t = 0; t < frames; t++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    clip[t, y, x, 0] = (byte)(8 * t);
                    clip[t, y, x, 1] = (byte)(x * 255 / Math.Max(1, width - 1));
                    clip[t, y, x, 2] = (byte)(y * 255 / Math.Max(1, height - 1));
                }
        return clip;
    }

    /// <summary>Frame index encoded by <see cref="Indexed"/> (red / 8), read from the centre pixel.</summary>
    public static int IndexOf(VideoClip clip, int t) => (int)Math.Round(clip[t, clip.Height / 2, clip.Width / 2, 0] / 8.0);

    /// <summary>A smooth moving pattern (soft gradients and a drifting blob), the kind lossy codecs keep well.</summary>
    public static VideoClip Smooth(int frames, int width, int height, double fps = 25)
    {
        var clip = new VideoClip(frames, height, width, fps);
        for (int t = 0; t < frames; t++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double cx = width * (0.3 + 0.4 * t / Math.Max(1, frames - 1)), cy = height * 0.5;
                    double blob = Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (0.08 * width * width));
                    clip[t, y, x, 0] = (byte)(60 + 150 * blob);
                    clip[t, y, x, 1] = (byte)(40 + 120.0 * x / width);
                    clip[t, y, x, 2] = (byte)(200 - 120.0 * y / height);
                }
        return clip;
    }

    /// <summary>At most 256 colours per frame (a coarse grid that changes with t), so a GIF palette holds it exactly.</summary>
    public static VideoClip FewColours(int frames, int width, int height, double fps = 25)
    {
        var clip = new VideoClip(frames, height, width, fps);
        for (int t = 0; t < frames; t++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    clip[t, y, x, 0] = (byte)((x / 4) * 32 % 256);
                    clip[t, y, x, 1] = (byte)((y / 4) * 32 % 256);
                    clip[t, y, x, 2] = (byte)(t * 20);
                }
        return clip;
    }

    /// <summary>Peak signal-to-noise ratio in dB over all pixels of two same-sized clips.</summary>
    public static double Psnr(VideoClip a, VideoClip b)
    {
        Assert.Equal((a.Frames, a.Height, a.Width), (b.Frames, b.Height, b.Width));
        double sum = 0;
        for (long i = 0; i < a.Pixels.LongLength; i++)
        {
            double d = a.Pixels[i] - b.Pixels[i];
            sum += d * d;
        }
        double mse = sum / a.Pixels.LongLength;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Runs ffmpeg with the given arguments (test setup only) and fails the test if it fails.</summary>
    public static void Ffmpeg(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-nostdin", "-v", "error", "-y", .. args]) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "ffmpeg setup timed out");
        Assert.True(p.ExitCode == 0, "ffmpeg setup failed: " + err.Result);
    }
}

/// <summary>A fresh temp folder per test, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "decoupled-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names of everything in the folder, hidden temp files included.</summary>
    public string[] Entries() =>
        Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
