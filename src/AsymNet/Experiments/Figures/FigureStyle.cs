using ScottPlot;

namespace AsymNet.Experiments.Figures;

/// <summary>The one look of every panel: a sans-serif font found on the machine (DejaVu Sans, which setup installs,
/// else ScottPlot's default), the same sizes for titles, labels, ticks and legends, and light grid lines.</summary>
internal static class FigureStyle
{
    private const float TitleSize = 15, LabelSize = 13, TickSize = 11, LegendSize = 11;

    private static readonly string FontName = Fonts.GetTypeface("DejaVu Sans", bold: false, italic: false)?.FamilyName == "DejaVu Sans" ? "DejaVu Sans" : Fonts.Default;

    public static Plot NewPlot(Panel panel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        plot.Axes.Title.Label.FontSize = TitleSize;
        plot.Axes.Title.Label.Bold = false;
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            Label(axis.Label);
            axis.TickLabelStyle.FontSize = TickSize;
        }
        plot.Legend.FontSize = LegendSize;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
        return plot;
    }

    public static void Label(LabelStyle style)
    {
        style.FontName = FontName;
        style.FontSize = LabelSize;
        style.Bold = false;
    }
}
