using Decoupled.Video;

namespace Decoupled.Tests.Video;

public class NaturalOrderTests
{
    [Fact]
    public void Numbers_sort_by_value()
    {
        string[] names = ["frame10.png", "frame2.png", "Frame1.png", "frame002.png", "frame1a.png", "a.png", "frame99999999999999999999.png"];
        var sorted = names.Order(NaturalOrder.Instance).ToArray();
        Assert.Equal(["a.png", "Frame1.png", "frame1a.png", "frame2.png", "frame002.png", "frame10.png", "frame99999999999999999999.png"], sorted);
    }
}
