using System.Text;
using System.Text.Json;
using AsymNet.Data;

namespace AsymNet.Experiments.Report;

/// <summary>A figure as the report shows it: where its standalone copies lie (relative to the report folder).</summary>
public sealed record ReportFigureCopy(ReportFigure Figure, string Svg, string? Png);

/// <summary>A section as the pages show it: its anchor (unique in the report) and its figures' copies.</summary>
public sealed record PlacedSection(ReportSection Section, string Slug, IReadOnlyList<ReportFigureCopy> Figures);

/// <summary>What <see cref="ReportWriter.Write"/> wrote and found.</summary>
public sealed record ReportOutcome(
    string HtmlPath,
    string MarkdownPath,
    IReadOnlyList<string> FigurePaths,
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<(string RunDir, string Error)> Unreadable,
    IReadOnlyList<(PaperExperiment Experiment, string Why)> Missing);

/// <summary>
/// <c>asym report</c>: reads run folders into sections (<see cref="ReportSources"/>), copies every figure into
/// figures/ as &lt;run folder&gt;-&lt;name&gt;.svg / .png, and writes report.html (self-contained: inline CSS and SVG,
/// no script, no network) and report.md (the same tables, for a diff). A folder that cannot be read is listed with
/// its error instead of stopping the report; an experiment of the paper without a folder is listed as missing.
/// </summary>
public static class ReportWriter
{
    public const string HtmlFile = "report.html";
    public const string MarkdownFile = "report.md";
    public const string FiguresDir = "figures";

    public static ReportOutcome Write(IReadOnlyList<string> runDirs, string outDir)
    {
        var sections = new List<ReportSection>();
        var unreadable = new List<(string, string)>();
        foreach (var dir in runDirs)
        {
            try
            {
                sections.Add(ReportSources.Read(dir));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or JsonException or KeyNotFoundException or UnauthorizedAccessException)
            {
                unreadable.Add((Path.GetFullPath(dir), e.Message));
            }
        }
        // The paper's order; folders of one experiment keep the order they were given in.
        sections = [.. sections.OrderBy(s => ReportSources.Order(s.Experiment))];
        var present = sections.Select(s => s.Experiment).ToHashSet();
        var missing = ReportSources.Paper.Where(p => !present.Contains(p.Experiment))
            .Select(p => (p, ExperimentCatalog.Names.Contains(p.Experiment)
                ? $"no run folder given; make one with `{p.Command}`"
                : $"not run: this build has no `{p.Command}` yet"))
            .ToList();

        Directory.CreateDirectory(outDir);
        var placed = new List<PlacedSection>();
        var written = new List<string>();
        var slugs = new HashSet<string>();
        foreach (var s in sections)
        {
            var slug = Slug(s.RunDir);
            for (var n = 2; !slugs.Add(slug); n++) slug = $"{Slug(s.RunDir)}-{n}";
            var list = new List<ReportFigureCopy>();
            foreach (var f in s.Figures)
            {
                var stem = $"{slug}-{Path.GetFileNameWithoutExtension(f.SvgPath)}";
                var svg = Copy(f.SvgPath, outDir, stem + ".svg", written);
                var png = f.PngPath is null ? null : Copy(f.PngPath, outDir, stem + ".png", written);
                list.Add(new ReportFigureCopy(f, svg, png));
            }
            placed.Add(new PlacedSection(s, slug, list));
        }

        var html = Path.Combine(outDir, HtmlFile);
        var md = Path.Combine(outDir, MarkdownFile);
        WriteText(html, HtmlReport.Render(placed, outDir, unreadable, missing));
        WriteText(md, MarkdownReport.Render(placed, unreadable, missing));
        return new ReportOutcome(html, md, written, sections, unreadable, missing);
    }

    /// <summary>A section's anchor and figure prefix: its run folder's name, made safe for ids and file names (a
    /// second folder of the same name gets "-2").</summary>
    private static string Slug(string runDir) =>
        new(Path.GetFileName(runDir.TrimEnd(Path.DirectorySeparatorChar)).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());

    private static string Copy(string source, string outDir, string name, List<string> written)
    {
        var relative = Path.Combine(FiguresDir, name);
        var bytes = File.ReadAllBytes(source);
        AtomicFile.Write(Path.Combine(outDir, relative), s => s.Write(bytes));
        written.Add(Path.Combine(outDir, relative));
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static void WriteText(string path, string text)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
