using System.Xml.Linq;
using AsymNet.Experiments.Figures;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Figures;

public class FigureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void LinePanelsWithBandsAreSavedAsSvgAndPng()
    {
        using var tmp = new TempDir();
        double[] x = [0, 0.5, 1];
        var fig = new Figure(
            new LinePanel("MLP <MNIST>: test loss", "λ", "test loss",
            [
                new Line("Standard", Palette.Standard, x, [0.1, 0.5, 0.1], [0.05, 0.4, 0.05], [0.15, 0.6, 0.15]),
                new Line("W-Asym", Palette.WAsym, x, [0.1, 0.12, 0.1]),
            ]),
            new LinePanel("test accuracy", "λ", "test accuracy", [new Line("Standard", Palette.Standard, x, [0.9, 0.5, 0.9])], LegendBottom: true));
        var (svgPath, pngPath) = fig.Save(tmp.Path, "lines");
        Assert.Equal(Path.Combine(tmp.Path, "lines.svg"), svgPath);
        Assert.True(File.Exists(pngPath));
        FigureFiles.AssertSvgAndPng(tmp.Path, "lines", fig.Width, fig.Height);
        var doc = XDocument.Load(svgPath);
        var text = string.Concat(doc.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Contains("MLP <MNIST>: test loss", text);
        Assert.Contains("W-Asym", text);
        // The palette's colours reach the drawing: the standard line and the W-Asym line.
        var svg = File.ReadAllText(svgPath).ToUpperInvariant();
        Assert.Contains(Palette.Standard, svg);
        Assert.Contains(Palette.WAsym, svg);
    }

    [Fact]
    public void SameDataGivesIdenticalFiles()
    {
        Figure Make() => new(new LinePanel("t", "x", "y", [new Line("a", Palette.Extra(0), [0, 1], [1, 2])]));
        Assert.Equal(Make().ToSvg(), Make().ToSvg());
        Assert.Equal(Make().ToPng(), Make().ToPng());
    }

    [Fact]
    public void HeatmapWithColourBarAndBarsWithErrorsRender()
    {
        using var tmp = new TempDir();
        var grid = new double[,] { { 0.1, 0.2, double.NaN }, { 0.3, 0.4, 0.5 } };
        new Figure(new HeatmapPanel("barrier", "n_fix", "κ", grid, ["1", "2", "4"], ["0.5", "1"], "test-loss barrier")).Save(tmp.Path, "heat");
        FigureFiles.AssertSvgAndPng(tmp.Path, "heat");
        Assert.Contains("test-loss barrier", string.Concat(XDocument.Load(Path.Combine(tmp.Path, "heat.svg")).Descendants(Svg + "text").Select(t => t.Value)));

        new Figure(new BarPanel("ECE", "model", "expected calibration error", ["MLP", "ResNet20"],
        [
            new Bars("Standard", Palette.Of(Variant.Standard), [0.05, 0.08], [0.01, 0.02]),
            new Bars("W-Asym", Palette.Of(Variant.W), [0.03, double.NaN], [0.005, 0]),
        ])).Save(tmp.Path, "bars");
        FigureFiles.AssertSvgAndPng(tmp.Path, "bars");
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 4)]
    public void HeatmapTickLabelsSitAtTheCentresOfTheirCells(int rows, int cols)
    {
        var values = new double[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) values[r, c] = r * cols + c;
        var svg = XDocument.Parse(new Figure(new HeatmapPanel("h", "x", "y", values, [.. Enumerable.Range(0, cols).Select(c => $"c{c}")],
            [.. Enumerable.Range(0, rows).Select(r => $"r{r}")], "v")).ToSvg());
        // The heatmap: an image of cols × rows pixels, drawn by a <use> that scales each pixel to a cell (Skia's SVG
        // holds the plot's elements twice, identical: take the first).
        var images = svg.Descendants(Svg + "image").ToDictionary(i => (string)i.Attribute("id")!);
        var use = svg.Descendants(Svg + "use").First(u => images.TryGetValue(Href(u)[1..], out var i) && (int)i.Attribute("width")! == cols && (int)i.Attribute("height")! == rows);
        var (sx, sy, tx, ty) = Matrix((string)use.Attribute("transform")!);
        for (var c = 0; c < cols; c++) Assert.Equal(tx + (c + 0.5) * sx, Anchor(svg, $"c{c}").X, 1.0);
        // Row 0 is the top row.
        for (var r = 0; r < rows; r++) Assert.Equal(ty + (r + 0.5) * sy, Anchor(svg, $"r{r}").Y, 1.0);

        static string Href(XElement e) => (string?)e.Attribute(XNamespace.Get("http://www.w3.org/1999/xlink") + "href") ?? "";
    }

    /// <summary>A label's anchor: the translation of the text element that shows it.</summary>
    private static (double X, double Y) Anchor(XDocument svg, string label)
    {
        var text = svg.Descendants(Svg + "text").First(t => t.Value.Trim() == label);
        var m = System.Text.RegularExpressions.Regex.Match((string)text.Attribute("transform")!, @"translate\(([-\d.e]+) ([-\d.e]+)\)");
        Assert.True(m.Success, $"label {label}: transform {(string?)text.Attribute("transform")}");
        return (double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static (double Sx, double Sy, double Tx, double Ty) Matrix(string transform)
    {
        var n = transform["matrix(".Length..^1].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (n[0], n[3], n[4], n[5]);
    }

    [Fact]
    public void RejectsMismatchedData()
    {
        Assert.Throws<ArgumentException>(() => new Figure());
        Assert.Throws<ArgumentException>(() => new Figure(new LinePanel("p", "x", "y", [new Line("s", Palette.Standard, [0, 1], [1])])));
        Assert.Throws<ArgumentException>(() => new Figure(new LinePanel("p", "x", "y", [new Line("s", Palette.Standard, [0, 1], [1, 2], [0, 1], null)])));
        Assert.Throws<ArgumentException>(() => new Figure(new BarPanel("p", "x", "y", ["a", "b"], [new Bars("s", Palette.Standard, [1], [0])])));
        Assert.Throws<ArgumentException>(() => new Figure(new HeatmapPanel("p", "x", "y", new double[2, 2], ["a"], ["r", "s"], "v")));
    }

    [Fact]
    public void SvgIdsAreRenumberedWithTheirReferences()
    {
        const string svg = "<svg><clipPath id=\"cl_9\"/><g clip-path=\"url(#cl_9)\"/><use href=\"#cl_9\"/><x id=\"b\"/></svg>";
        Assert.Equal("<svg><clipPath id=\"p0\"/><g clip-path=\"url(#p0)\"/><use href=\"#p0\"/><x id=\"p1\"/></svg>", SvgIds.Renumber(svg, "p"));
        var fig = new Figure(new LinePanel("t", "x", "y", [new Line("a", Palette.Extra(1), [0, 1], [1, 2])]));
        Assert.Contains("id=\"fig2_0\"", fig.ToSvg("fig2_"));
    }
}
