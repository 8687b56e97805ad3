using System.Xml.Linq;
using AsymNet.Experiments.Plotting;

namespace AsymNet.Tests.Experiments;

public class SvgLinePlotTests
{
    [Fact]
    public void RendersWellFormedSvgWithOneLinePerSeriesAndBands()
    {
        double[] x = [0, 0.5, 1];
        var svg = new SvgLinePlot()
            .AddPanel("MLP <MNIST>", "λ", "test loss",
            [
                new PlotSeries("standard", x, [0.1, 0.5, 0.1], [0.05, 0.4, 0.05], [0.15, 0.6, 0.15]),
                new PlotSeries("w-asym", x, [0.1, 0.1, 0.1]),
            ])
            .AddPanel("accuracy", "λ", "test accuracy", [new PlotSeries("standard", x, [0.9, 0.5, 0.9])])
            .Render();
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(3, doc.Descendants(ns + "polyline").Count());
        Assert.Single(doc.Descendants(ns + "polygon"));
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "MLP <MNIST>");
    }

    [Fact]
    public void RejectsMismatchedSeries()
    {
        Assert.Throws<ArgumentException>(() => new SvgLinePlot().AddPanel("p", "x", "y", [new PlotSeries("s", [0, 1], [1])]));
        Assert.Throws<InvalidOperationException>(() => new SvgLinePlot().Render());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-0.013, 0.21)]
    [InlineData(1.3, 2.9)]
    public void TicksCoverTheRangeWithRoundSteps(double lo, double hi)
    {
        var t = SvgLinePlot.NiceTicks(lo, hi);
        Assert.True(t[0] <= lo && t[^1] >= hi);
        Assert.InRange(t.Length, 3, 12);
    }
}
