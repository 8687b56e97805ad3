using System.Text;

namespace AsymNet.Experiments.Report;

/// <summary>report.md: the report's tables, deviations and provenance as Markdown (figures linked), for a git diff.
/// A value that differs from the paper's is bold with a ⚠ after it.</summary>
public static class MarkdownReport
{
    public static string Render(IReadOnlyList<PlacedSection> sections, IReadOnlyList<(string RunDir, string Error)> unreadable, IReadOnlyList<(PaperExperiment Experiment, string Why)> missing)
    {
        var sb = new StringBuilder("# AsymNet: the paper's tables and figures from these runs\n\n");
        foreach (var p in sections) sb.Append($"- [{p.Section.Title}](#{p.Slug})\n");
        if (missing.Count > 0) sb.Append("- [Missing experiments](#missing)\n");
        foreach (var p in sections)
        {
            var s = p.Section;
            sb.Append($"\n<a id=\"{p.Slug}\"></a>\n\n## {s.Title}\n\n");
            sb.Append($"{PaperItems(s)}. Run folder `{s.RunDir}`.\n");
            foreach (var t in s.Tables)
            {
                sb.Append($"\n**{t.Caption}**\n\n| {string.Join(" | ", t.Header.Select(Esc))} |\n|{string.Concat(t.Header.Select(_ => "---|"))}\n");
                foreach (var row in t.Rows)
                    sb.Append("| ").Append(string.Join(" | ", row.Select(c => c.Highlight ? $"**{Esc(c.Text)}** ⚠" : Esc(c.Text)))).Append(" |\n");
                if (t.Note is not null) sb.Append('\n').Append(t.Note).Append('\n');
            }
            foreach (var f in p.Figures)
                sb.Append($"\n![{Esc(f.Figure.Caption)}]({f.Svg})\n\n{f.Figure.Caption}{(f.Png is null ? "" : $" ([PNG]({f.Png}))")}\n");
            List("Deviations from the paper's recipe", s.Deviations, sb);
            List("Notes", s.Notes, sb);
            sb.Append("\n### Provenance\n\n| | |\n|---|---|\n");
            foreach (var (k, v) in s.Provenance()) sb.Append($"| {k} | {Esc(v)} |\n");
        }
        if (unreadable.Count > 0)
        {
            sb.Append("\n## Run folders that could not be read\n\n");
            foreach (var (dir, error) in unreadable) sb.Append($"- `{dir}`: {error}\n");
        }
        if (missing.Count > 0)
        {
            sb.Append("\n<a id=\"missing\"></a>\n\n## Missing experiments\n\n| Experiment | Paper | Status |\n|---|---|---|\n");
            foreach (var (e, why) in missing) sb.Append($"| {e.Title} | {e.PaperItems} | missing: {Esc(why)} |\n");
        }
        return sb.ToString();
    }

    /// <summary>"Paper Table 1, Figure 3" for a section of a known experiment, else its experiment name.</summary>
    public static string PaperItems(ReportSection s) =>
        ReportSources.Paper.FirstOrDefault(p => p.Experiment == s.Experiment) is { } p ? $"Paper {p.PaperItems}" : $"Experiment '{s.Experiment}'";

    private static void List(string heading, IReadOnlyList<string> items, StringBuilder sb)
    {
        if (items.Count == 0) return;
        sb.Append($"\n### {heading}\n\n");
        foreach (var item in items) sb.Append("- ").Append(item).Append('\n');
    }

    private static string Esc(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
