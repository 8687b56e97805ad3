using System.Globalization;
using AsymNet.Experiments.Runs;

namespace AsymNet.Experiments.Report;

/// <summary>A table cell; <paramref name="Highlight"/> marks a value that differs from the paper's.</summary>
public sealed record ReportCell(string Text, bool Highlight = false)
{
    public static implicit operator ReportCell(string text) => new(text);
}

/// <summary>A table of a section: a caption, a header row and rows of cells, and an optional note under it.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<ReportCell>> Rows, string? Note = null);

/// <summary>A figure of a run folder: its SVG (required) and PNG (when the experiment wrote one).</summary>
public sealed record ReportFigure(string Caption, string SvgPath, string? PngPath);

/// <summary>
/// What one run folder contributes to the report: the paper's table(s) with this run's values beside the paper's,
/// its figures, how its recipe deviates from the paper's, and notes; provenance comes from <see cref="Manifest"/>.
/// </summary>
public sealed record ReportSection
{
    public required string Title { get; init; }
    public required string Experiment { get; init; }
    public required string RunDir { get; init; }
    public required RunManifest Manifest { get; init; }
    public IReadOnlyList<ReportTable> Tables { get; init; } = [];
    public IReadOnlyList<ReportFigure> Figures { get; init; } = [];
    public IReadOnlyList<string> Deviations { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Where and how the run was made, from its manifest: what reproduces it and what its numbers depend on.</summary>
    public IReadOnlyList<(string Key, string Value)> Provenance()
    {
        var m = Manifest;
        var e = m.Environment;
        var ci = CultureInfo.InvariantCulture;
        return
        [
            ("command", m.CommandLine),
            ("status", m.Status),
            ("commit", e.GitCommit ?? "unknown"),
            ("started", m.Start.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", ci)),
            ("wall time", m.WallSeconds is { } w ? TimeSpan.FromSeconds(w).ToString(@"h\:mm\:ss", ci) + " (the last process that wrote the manifest)" : "unknown"),
            ("seeds", m.Seeds.Count == 0 ? "none" : string.Join(", ", m.Seeds.Select(kv => $"{kv.Key} {kv.Value}"))),
            ("machine", $"{e.CpuModel}, {e.Cores} cores, {e.VectorBits}-bit vectors"),
            ("BLAS", $"{e.Blas}, {e.BlasThreads} thread(s)"),
            ("threads", e.Threading.Text),
            ("runtime", $"{e.DotNet} on {e.Os}"),
            ("run folder", RunDir),
        ];
    }
}
