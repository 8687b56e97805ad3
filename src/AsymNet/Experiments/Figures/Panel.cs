namespace AsymNet.Experiments.Figures;

/// <summary>
/// One plot area of a <see cref="Figure"/>: a title and axis labels (with units where the values have one) and the
/// data of one of the three kinds below. Panels only describe; the figure draws them all in one style.
/// </summary>
public abstract record Panel(string Title, string XLabel, string YLabel);

/// <summary>A curve: a line through (X, Y) and, when <paramref name="Low"/>/<paramref name="High"/> are given, a
/// translucent band between them (min..max over runs, or ± std). Colour from <see cref="Palette"/>.</summary>
public sealed record Line(string Label, string Color, double[] X, double[] Y, double[]? Low = null, double[]? High = null);

/// <summary>Lines with optional bands; the legend goes to the bottom right with <paramref name="LegendBottom"/>
/// (for curves that end high).</summary>
public sealed record LinePanel(string Title, string XLabel, string YLabel, IReadOnlyList<Line> Lines, bool LegendBottom = false)
    : Panel(Title, XLabel, YLabel);

/// <summary>One bar per category with a symmetric error bar (0 for none); NaN values draw no bar.</summary>
public sealed record Bars(string Label, string Color, double[] Values, double[] Errors);

/// <summary>Grouped bars: one group per category on the x axis, one bar of each <see cref="Bars"/> in every group.</summary>
public sealed record BarPanel(string Title, string XLabel, string YLabel, IReadOnlyList<string> Categories, IReadOnlyList<Bars> Series)
    : Panel(Title, XLabel, YLabel);

/// <summary>A grid of values (row 0 drawn at the top) with named columns and rows and a colour bar labelled
/// <paramref name="ValueLabel"/>; NaN cells stay blank.</summary>
public sealed record HeatmapPanel(string Title, string XLabel, string YLabel, double[,] Values,
    IReadOnlyList<string> Columns, IReadOnlyList<string> Rows, string ValueLabel)
    : Panel(Title, XLabel, YLabel);
