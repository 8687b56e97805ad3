using System.Globalization;
using System.Net;
using System.Text;

namespace AsymNet.Experiments.Plotting;

/// <summary>One heatmap panel: values[row][column] (NaN: no value, drawn grey) with row and column labels, and the
/// text written in each cell.</summary>
public sealed record HeatmapPanel(string Title, string XLabel, string YLabel, IReadOnlyList<string> Columns, IReadOnlyList<string> Rows,
    double[][] Values, string[][] Text);

/// <summary>
/// A dependency-free SVG heatmap: panels side by side, each cell shaded from white (the panel's minimum) to dark blue
/// (its maximum) with its value written in it, and a colour bar. Plain SVG 1.1, like <see cref="SvgLinePlot"/>.
/// </summary>
public static class SvgHeatmap
{
    private const int Cell = 64, Left = 90, Top = 50, Bar = 14;

    public static string Render(IReadOnlyList<HeatmapPanel> panels)
    {
        if (panels.Count == 0) throw new InvalidOperationException("A heatmap needs at least one panel.");
        var ci = CultureInfo.InvariantCulture;
        var widths = panels.Select(p => Left + p.Columns.Count * Cell + 70).ToList();
        var height = panels.Max(p => p.Rows.Count) * Cell + Top + 60;
        var sb = new StringBuilder();
        sb.Append(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{widths.Sum()}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(ci, $"<rect width=\"{widths.Sum()}\" height=\"{height}\" fill=\"white\"/>\n");
        var x0 = 0;
        for (var p = 0; p < panels.Count; p++)
        {
            var panel = panels[p];
            if (panel.Values.Length != panel.Rows.Count || panel.Values.Any(r => r.Length != panel.Columns.Count))
                throw new ArgumentException($"Heatmap '{panel.Title}': values must be {panel.Rows.Count} rows × {panel.Columns.Count} columns.");
            var finite = panel.Values.SelectMany(r => r).Where(double.IsFinite).ToList();
            var (lo, hi) = finite.Count > 0 ? (finite.Min(), finite.Max()) : (0.0, 1.0);
            sb.Append(ci, $"<text x=\"{x0 + Left}\" y=\"20\" font-weight=\"bold\">{Esc(panel.Title)}</text>\n");
            for (var r = 0; r < panel.Rows.Count; r++)
            {
                var y = Top + r * Cell;
                sb.Append(ci, $"<text x=\"{x0 + Left - 6}\" y=\"{y + Cell / 2 + 4}\" text-anchor=\"end\">{Esc(panel.Rows[r])}</text>\n");
                for (var c = 0; c < panel.Columns.Count; c++)
                {
                    var v = panel.Values[r][c];
                    var x = x0 + Left + c * Cell;
                    var t = double.IsFinite(v) ? (hi > lo ? (v - lo) / (hi - lo) : 0.5) : double.NaN;
                    sb.Append(ci, $"<rect x=\"{x}\" y=\"{y}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{Colour(t)}\" stroke=\"white\"/>\n");
                    sb.Append(ci, $"<text x=\"{x + Cell / 2}\" y=\"{y + Cell / 2 + 4}\" text-anchor=\"middle\" fill=\"{(t > 0.6 ? "white" : "black")}\">{Esc(panel.Text[r][c])}</text>\n");
                }
            }
            var bottom = Top + panel.Rows.Count * Cell;
            for (var c = 0; c < panel.Columns.Count; c++)
                sb.Append(ci, $"<text x=\"{x0 + Left + c * Cell + Cell / 2}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{Esc(panel.Columns[c])}</text>\n");
            sb.Append(ci, $"<text x=\"{x0 + Left + panel.Columns.Count * Cell / 2}\" y=\"{bottom + 36}\" text-anchor=\"middle\">{Esc(panel.XLabel)}</text>\n");
            sb.Append(ci, $"<text x=\"{x0 + 14}\" y=\"{Top + panel.Rows.Count * Cell / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 {x0 + 14} {Top + panel.Rows.Count * Cell / 2})\">{Esc(panel.YLabel)}</text>\n");
            // Colour bar: ten steps from the minimum (bottom) to the maximum (top).
            var barX = x0 + Left + panel.Columns.Count * Cell + 10;
            var barH = panel.Rows.Count * Cell;
            for (var i = 0; i < 10; i++)
                sb.Append(ci, $"<rect x=\"{barX}\" y=\"{Top + barH - (i + 1) * barH / 10.0:0.#}\" width=\"{Bar}\" height=\"{barH / 10.0 + 0.5:0.#}\" fill=\"{Colour((i + 0.5) / 10)}\"/>\n");
            sb.Append(ci, $"<text x=\"{barX + Bar + 3}\" y=\"{Top + 10}\" font-size=\"10\">{hi:0.###}</text>\n");
            sb.Append(ci, $"<text x=\"{barX + Bar + 3}\" y=\"{Top + barH}\" font-size=\"10\">{lo:0.###}</text>\n");
            x0 += widths[p];
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Colour(double t)
    {
        if (double.IsNaN(t)) return "#dddddd";
        // White → #08306b (the end of matplotlib's Blues).
        int Mix(int end) => (int)Math.Round(255 + (end - 255) * t);
        return $"#{Mix(0x08):x2}{Mix(0x30):x2}{Mix(0x6b):x2}";
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
