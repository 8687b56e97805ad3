using System.Text;
using AsymNet.Data;

namespace AsymNet.Tests.Data;

public sealed class NpmMnistDigitsTests
{
    /// <summary>A digit file in the package's encoding: k/255 rounded to 3 decimals.</summary>
    internal static string DigitJson(byte[] pixels) =>
        "{\"data\":[" + string.Join(",", pixels.Select(b => Math.Round(b / 255.0, 3).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]}";

    [Fact]
    public void DecodesTheRoundedFractionsBackToTheOriginalBytes()
    {
        var all = Enumerable.Range(0, 784).Select(i => (byte)(i % 256)).ToArray();
        Assert.Equal(all, NpmMnistDigits.ParseDigits("d.json", Encoding.UTF8.GetBytes(DigitJson(all))));
    }

    [Fact]
    public void SplitIsStratifiedDeterministicAndDisjoint()
    {
        var counts = new[] { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 };
        var labels = counts.SelectMany((n, d) => Enumerable.Repeat(d, n)).ToArray();
        var pixels = new byte[labels.Length * 784];
        for (var i = 0; i < labels.Length; i++) pixels[i * 784] = (byte)i; // tag each image
        var (train, test) = Mnist10k.Split(pixels, labels);
        Assert.Equal(counts.Select(n => (int)Math.Round(n / 5.0)), test.ClassHistogram());
        Assert.Equal(labels.Length, train.Count + test.Count);
        var tags = train.Pixels.Where((_, i) => i % 784 == 0).Concat(test.Pixels.Where((_, i) => i % 784 == 0));
        Assert.Equal(Enumerable.Range(0, labels.Length).Select(i => (byte)i), tags.Order());
        var again = Mnist10k.Split(pixels, labels);
        Assert.Equal(train.Pixels, again.Train.Pixels);
    }

    [Theory]
    [InlineData("{\"data\":[0,0.5]}", "k/255")]
    [InlineData("{\"data\":[0,1.5]}", "in [0, 1]")]
    [InlineData("{\"pixels\":[0]}", "expected \"data\"")]
    [InlineData("{\"data\":[0,\"a\"]}", "expected a number")]
    [InlineData("{\"data\":[0,0", "invalid JSON")]
    [InlineData("{\"data\":[0,0]}", "multiple of 784")]
    [InlineData("{\"data\":[]} []", "invalid JSON")]
    [InlineData("", "invalid JSON")]
    public void BadJsonNamesTheFileAndPlace(string json, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => NpmMnistDigits.ParseDigits("7.json", Encoding.UTF8.GetBytes(json)));
        Assert.Equal("7.json", e.File);
        Assert.Contains(expected, e.Message);
    }
}
