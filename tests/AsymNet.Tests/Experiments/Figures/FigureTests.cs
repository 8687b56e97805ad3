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
