using System.Buffers.Binary;
using System.Xml.Linq;

namespace AsymNet.Tests.Support;

/// <summary>Checks a figure written by Experiments/Figures: the SVG parses as XML with a non-empty drawing, and the
/// PNG has the PNG signature and an IHDR chunk with the expected size.</summary>
public static class FigureFiles
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void AssertSvgAndPng(string dir, string name, int? width = null, int? height = null)
    {
        var svg = XDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".svg")));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.True(svg.Root.Descendants().Count() > 20, $"{name}.svg draws almost nothing");
        var (w, h) = PngSize(File.ReadAllBytes(Path.Combine(dir, name + ".png")));
        if (width is { } ew) Assert.Equal(ew, w);
        if (height is { } eh) Assert.Equal(eh, h);
        Assert.Equal(w.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root.Attribute("width")?.Value);
    }

    public static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 33 && png.AsSpan(0, 8).SequenceEqual(PngSignature), "not a PNG file");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
