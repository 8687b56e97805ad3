using System.Globalization;
using System.Text;

namespace AsymNet.Experiments.Plotting;

/// <summary>One curve of a line plot: a mean line and an optional shaded band (e.g. min..max or ±std).</summary>
public sealed record PlotSeries(string Label, double[] X, double[] Y, double[]? BandLow = null, double[]? BandHigh = null);

/// <summary>
/// A dependency-free SVG line plot (no plotting package is available here): one or more panels side by side,
/// each with axes, ticks, a legend and series drawn as lines over translucent bands. Output is plain SVG 1.1.
/// </summary>
public sealed class SvgLinePlot
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];
    private readonly List<(string Title, string XLabel, string YLabel, List<PlotSeries> Series, bool LegendBottom)> _panels = [];

    public int PanelWidth { get; init; } = 420;
    public int PanelHeight { get; init; } = 320;

    /// <summary>Adds a panel; series keep their palette colour by position across panels. The legend sits in the top
    /// right corner, or the bottom right one with <paramref name="legendBottom"/> (for curves that end high).</summary>
    public SvgLinePlot AddPanel(string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series, bool legendBottom = false)
    {
        var list = series.ToList();
        foreach (var s in list)
        {
            if (s.X.Length != s.Y.Length) throw new ArgumentException($"Series '{s.Label}': {s.X.Length} x values but {s.Y.Length} y values.");
            if ((s.BandLow is null) != (s.BandHigh is null) || (s.BandLow is not null && (s.BandLow.Length != s.X.Length || s.BandHigh!.Length != s.X.Length)))
                throw new ArgumentException($"Series '{s.Label}': band must have both bounds with one value per x.");
        }
        _panels.Add((title, xLabel, yLabel, list, legendBottom));
        return this;
    }

    public string Render()
    {
        if (_panels.Count == 0) throw new InvalidOperationException("A plot needs at least one panel.");
        var width = PanelWidth * _panels.Count;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{PanelHeight}\" viewBox=\"0 0 {width} {PanelHeight}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{PanelHeight}\" fill=\"white\"/>\n");
        for (var p = 0; p < _panels.Count; p++) RenderPanel(sb, p * PanelWidth, _panels[p]);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private void RenderPanel(StringBuilder sb, int left, (string Title, string XLabel, string YLabel, List<PlotSeries> Series, bool LegendBottom) panel)
    {
        const int marginL = 58, marginR = 12, marginT = 28, marginB = 42;
        double x0 = left + marginL, x1 = left + PanelWidth - marginR, y0 = PanelHeight - marginB, y1 = marginT;
        var (xmin, xmax) = Range(panel.Series.SelectMany(s => s.X));
        var (ymin, ymax) = Range(panel.Series.SelectMany(s => s.Y.Concat(s.BandLow ?? []).Concat(s.BandHigh ?? [])));
        var yt = NiceTicks(ymin, ymax);
        ymin = Math.Min(ymin, yt[0]);
        ymax = Math.Max(ymax, yt[^1]);
        double Sx(double v) => x0 + (v - xmin) / (xmax - xmin) * (x1 - x0);
        double Sy(double v) => y0 - (v - ymin) / (ymax - ymin) * (y0 - y1);

        sb.Append($"<text x=\"{F((x0 + x1) / 2)}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{Esc(panel.Title)}</text>\n");
        foreach (var t in yt)
        {
            sb.Append($"<line x1=\"{F(x0)}\" x2=\"{F(x1)}\" y1=\"{F(Sy(t))}\" y2=\"{F(Sy(t))}\" stroke=\"#e5e5e5\"/>\n");
            sb.Append($"<text x=\"{F(x0 - 4)}\" y=\"{F(Sy(t) + 4)}\" text-anchor=\"end\">{Esc(Tick(t))}</text>\n");
        }
        foreach (var t in NiceTicks(xmin, xmax).Where(t => t >= xmin - 1e-12 && t <= xmax + 1e-12))
            sb.Append($"<text x=\"{F(Sx(t))}\" y=\"{F(y0 + 14)}\" text-anchor=\"middle\">{Esc(Tick(t))}</text>\n");
        sb.Append($"<rect x=\"{F(x0)}\" y=\"{F(y1)}\" width=\"{F(x1 - x0)}\" height=\"{F(y0 - y1)}\" fill=\"none\" stroke=\"#333\"/>\n");
        sb.Append($"<text x=\"{F((x0 + x1) / 2)}\" y=\"{F(PanelHeight - 8)}\" text-anchor=\"middle\">{Esc(panel.XLabel)}</text>\n");
        sb.Append($"<text transform=\"translate({F(left + 14)},{F((y0 + y1) / 2)}) rotate(-90)\" text-anchor=\"middle\">{Esc(panel.YLabel)}</text>\n");

        for (var i = 0; i < panel.Series.Count; i++)
        {
            var s = panel.Series[i];
            var color = Palette[i % Palette.Length];
            if (s.BandLow is not null)
            {
                var upper = s.X.Select((x, k) => $"{F(Sx(x))},{F(Sy(s.BandHigh![k]))}");
                var lower = s.X.Select((x, k) => $"{F(Sx(x))},{F(Sy(s.BandLow[k]))}").Reverse();
                sb.Append($"<polygon points=\"{string.Join(" ", upper.Concat(lower))}\" fill=\"{color}\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
            }
            var pts = string.Join(" ", s.X.Select((x, k) => $"{F(Sx(x))},{F(Sy(s.Y[k]))}"));
            sb.Append($"<polyline points=\"{pts}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
            var ly = panel.LegendBottom ? y0 - 8 - 15 * (panel.Series.Count - 1 - i) : y1 + 14 + 15 * i;
            sb.Append($"<line x1=\"{F(x1 - 140)}\" x2=\"{F(x1 - 120)}\" y1=\"{F(ly - 4)}\" y2=\"{F(ly - 4)}\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
            sb.Append($"<text x=\"{F(x1 - 116)}\" y=\"{F(ly)}\">{Esc(s.Label)}</text>\n");
        }
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return (0, 1);
        double lo = finite.Min(), hi = finite.Max();
        if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
        return (lo, hi);
    }

    /// <summary>About five round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart).</summary>
    internal static double[] NiceTicks(double lo, double hi)
    {
        var raw = (hi - lo) / 5;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * mag).First(s => s >= raw);
        var start = Math.Floor(lo / step) * step;
        var ticks = new List<double>();
        for (var t = start; t <= hi + step * 0.999; t += step) ticks.Add(Math.Round(t / step) * step);
        return ticks.ToArray();
    }

    private static string Tick(double v) => Math.Abs(v) < 1e-12 ? "0" : v.ToString("G4", CultureInfo.InvariantCulture);
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Esc(string s) => System.Security.SecurityElement.Escape(s) ?? "";
}
