using AsymNet.Data;

namespace AsymNet.Tests.Data;

public sealed class ImageDatasetTests
{
    [Fact]
    public void PaddedCentresEveryChannelInABlackBorder()
    {
        var pixels = Enumerable.Range(1, 2 * 2 * 3 * 2).Select(i => (byte)i).ToArray(); // 2 images, 2 channels, 3×2
        var data = new ImageDataset("toy", pixels, [4, 7], 2, 3, 2, 10, new NormalizationStats("toy", [0.5f, 0.5f], [1f, 1f]));

        var padded = data.Padded(2);

        Assert.Equal((2, 7, 6), (padded.Channels, padded.Height, padded.Width));
        Assert.Equal([4, 7], padded.Labels);
        for (var i = 0; i < 2; i++)
        for (var c = 0; c < 2; c++)
        for (var y = 0; y < 7; y++)
        for (var x = 0; x < 6; x++)
        {
            var inside = y is >= 2 and < 5 && x is >= 2 and < 4;
            var expected = inside ? data.Image(i)[(c * 3 + y - 2) * 2 + x - 2] : (byte)0;
            Assert.Equal(expected, padded.Image(i)[(c * 7 + y) * 6 + x]);
        }
        Assert.Same(data, data.Padded(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Padded(-1));
    }
}
