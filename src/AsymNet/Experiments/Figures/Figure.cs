using System.Text;
using AsymNet.Data;
using ScottPlot;
using SkiaSharp;

namespace AsymNet.Experiments.Figures;

/// <summary>
/// A figure: one or more <see cref="Panel"/>s side by side, drawn with ScottPlot in the project's one style (fonts,
/// sizes, <see cref="Palette"/>) and written as SVG and PNG. The whole API:
/// <code>
/// var fig = new Figure(new LinePanel("MLP (MNIST): test loss", "λ", "test loss", lines), …);
/// fig.Save(runDir, "lmc");          // runDir/lmc.svg and runDir/lmc.png, each written atomically
/// string svg = fig.ToSvg(); byte[] png = fig.ToPng();
/// </code>
/// Output is deterministic for the same data (no timestamps), so reruns leave identical files.
/// </summary>
public sealed class Figure
{
    // ScottPlot's font and typeface caches are static and not safe for concurrent renders (side-by-side jobs, tests).
    private static readonly Lock RenderLock = new();
    private readonly IReadOnlyList<Panel> _panels;

    public Figure(params Panel[] panels)
    {
        if (panels.Length == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        foreach (var p in panels) Validate(p);
        _panels = panels;
    }

    /// <summary>Width of each panel in pixels (CSS pixels in the SVG).</summary>
    public int PanelWidth { get; init; } = 460;
    public int Height { get; init; } = 340;
    public int Width => PanelWidth * _panels.Count;

    /// <summary>The figure as an SVG document; its ids (clip paths) are numbered from <paramref name="idPrefix"/>0, so
    /// the text is the same on every call and two figures inlined in one page can be given distinct prefixes.</summary>
    public string ToSvg(string idPrefix = "clip")
    {
        using var ms = new MemoryStream();
        using (var ws = new SKManagedWStream(ms))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, Height), ws))
            Draw(canvas);
        return SvgIds.Renumber(Encoding.UTF8.GetString(ms.ToArray()), idPrefix);
    }

    public byte[] ToPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not make a {Width}×{Height} surface.");
        Draw(surface.Canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes <paramref name="name"/>.svg and <paramref name="name"/>.png into <paramref name="dir"/>
    /// (created if needed) and returns their paths.</summary>
    public (string Svg, string Png) Save(string dir, string name)
    {
        var svgPath = Path.Combine(dir, name + ".svg");
        var pngPath = Path.Combine(dir, name + ".png");
        var svg = new UTF8Encoding(false).GetBytes(ToSvg());
        var png = ToPng();
        AtomicFile.Write(svgPath, s => s.Write(svg));
        AtomicFile.Write(pngPath, s => s.Write(png));
        return (svgPath, pngPath);
    }

    private void Draw(SKCanvas canvas)
    {
        lock (RenderLock) DrawPanels(canvas);
    }

    private void DrawPanels(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        var first = FigureStyle.NewPlot(_panels[0]);
        Draw(first, _panels[0]);
        // A plot clears the whole canvas when it renders, so panels side by side go through ScottPlot's multiplot.
        var multiplot = new Multiplot(first) { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        foreach (var panel in _panels.Skip(1))
        {
            var plot = FigureStyle.NewPlot(panel);
            Draw(plot, panel);
            multiplot.Subplots.Add(plot);
        }
        multiplot.Render(canvas, new PixelRect(0, Width, Height, 0));
    }

    private static void Draw(Plot plot, Panel panel)
    {
        switch (panel)
        {
            case LinePanel p: DrawLines(plot, p); break;
            case BarPanel p: DrawBars(plot, p); break;
            case HeatmapPanel p: DrawHeatmap(plot, p); break;
            default: throw new ArgumentException($"Unknown panel type {panel.GetType().Name}.");
        }
    }

    private static void DrawLines(Plot plot, LinePanel p)
    {
        foreach (var line in p.Lines.Where(l => l.Low is not null))
        {
            var band = plot.Add.FillY(line.X, line.Low!, line.High!);
            band.FillColor = Color.FromHex(line.Color).WithAlpha(0.2);
            band.LineWidth = 0;
        }
        foreach (var line in p.Lines)
        {
            var s = plot.Add.Scatter(line.X, line.Y);
            s.Color = Color.FromHex(line.Color);
            s.LineWidth = 2;
            s.MarkerSize = line.X.Length <= 25 ? 4 : 0;
            s.LegendText = line.Label;
        }
        plot.ShowLegend(p.LegendBottom ? Alignment.LowerRight : Alignment.UpperRight);
    }

    private static void DrawBars(Plot plot, BarPanel p)
    {
        var groups = p.Series.Count;
        const double groupWidth = 0.8;
        var width = groupWidth / groups;
        for (var s = 0; s < groups; s++)
        {
            var series = p.Series[s];
            var color = Color.FromHex(series.Color);
            var bars = new List<Bar>();
            for (var c = 0; c < p.Categories.Count; c++)
            {
                if (double.IsNaN(series.Values[c])) continue;
                bars.Add(new Bar
                {
                    Position = c - groupWidth / 2 + width * (s + 0.5),
                    Value = series.Values[c],
                    Error = double.IsNaN(series.Errors[c]) ? 0 : series.Errors[c],
                    Size = width * 0.9,
                    FillColor = color,
                    LineWidth = 0,
                });
            }
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series.Label, FillColor = color });
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, p.Categories.Count).Select(i => (double)i).ToArray(), p.Categories.ToArray());
        plot.Axes.Margins(bottom: 0);
        if (groups > 1) plot.ShowLegend(Alignment.UpperRight);
    }

    private static void DrawHeatmap(Plot plot, HeatmapPanel p)
    {
        int rows = p.Values.GetLength(0), cols = p.Values.GetLength(1);
        var map = plot.Add.Heatmap(p.Values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(map);
        bar.Label = p.ValueLabel;
        FigureStyle.Label(bar.LabelStyle);
        // Ticks at the cell centres of the rectangle ScottPlot draws the image in (an Extent set by hand is read as
        // first-to-last cell centre, not as edges, which put the labels half a cell off). Row 0 is drawn at the top.
        var drawn = map.GetAxisLimits();
        double width = (drawn.Right - drawn.Left) / cols, height = (drawn.Top - drawn.Bottom) / rows;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(i => drawn.Left + (i + 0.5) * width).ToArray(), p.Columns.ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => drawn.Top - (i + 0.5) * height).ToArray(), p.Rows.ToArray());
        plot.Axes.Margins(0, 0);
    }

    private static void Validate(Panel panel)
    {
        switch (panel)
        {
            case LinePanel p:
                foreach (var l in p.Lines)
                {
                    if (l.X.Length != l.Y.Length) throw new ArgumentException($"Line '{l.Label}': {l.X.Length} x values but {l.Y.Length} y values.");
                    if ((l.Low is null) != (l.High is null) || (l.Low is not null && (l.Low.Length != l.X.Length || l.High!.Length != l.X.Length)))
                        throw new ArgumentException($"Line '{l.Label}': a band needs both bounds with one value per x.");
                }
                break;
            case BarPanel p:
                foreach (var b in p.Series)
                    if (b.Values.Length != p.Categories.Count || b.Errors.Length != p.Categories.Count)
                        throw new ArgumentException($"Bars '{b.Label}': need one value and one error per category ({p.Categories.Count}).");
                break;
            case HeatmapPanel p:
                if (p.Values.GetLength(0) != p.Rows.Count || p.Values.GetLength(1) != p.Columns.Count)
                    throw new ArgumentException($"Heatmap '{p.Title}': {p.Values.GetLength(0)}×{p.Values.GetLength(1)} values for {p.Rows.Count} rows × {p.Columns.Count} columns.");
                break;
        }
    }
}
