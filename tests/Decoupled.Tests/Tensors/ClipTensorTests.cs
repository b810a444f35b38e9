using Decoupled.Tensors;
using Decoupled.Video;

namespace Decoupled.Tests.Tensors;

public class ClipTensorTests
{
    [Fact]
    public void RoundTripIsExactAndLayoutIsChannelsFirst()
    {
        var clip = new VideoClip(3, 5, 7);
        new Random(3).NextBytes(clip.Pixels);
        using var tensor = ClipTensor.ToTensor(clip);
        Assert.Equal(new long[] { 3, 3, 5, 7 }, tensor.shape);
        // Pixel (t=2, y=4, x=6, c=1) lands at [1, 2, 4, 6] as x/127.5 - 1.
        Assert.Equal(clip[2, 4, 6, 1] / 127.5 - 1, tensor[1, 2, 4, 6].item<float>(), 5);
        Assert.True(ClipTensor.FromTensor(tensor).ContentEquals(clip));
    }

    [Fact]
    public void BatchRoundTripAndClamping()
    {
        var a = new VideoClip(2, 4, 4);
        var b = new VideoClip(2, 4, 4);
        new Random(4).NextBytes(b.Pixels);
        using var batch = ClipTensor.ToBatch([a, b]);
        Assert.Equal(new long[] { 2, 3, 2, 4, 4 }, batch.shape);
        var back = ClipTensor.FromBatch(batch * 3);   // out of range values clamp to 0 / 255
        Assert.All(back[0].Pixels, p => Assert.Equal(0, p));
        Assert.Throws<ArgumentException>(() => ClipTensor.ToBatch([a, new VideoClip(3, 4, 4)]));
    }
}
