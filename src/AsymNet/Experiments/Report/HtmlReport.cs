using System.Net;
using System.Text;
using System.Xml.Linq;
using AsymNet.Experiments.Figures;

namespace AsymNet.Experiments.Report;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no script, no external resource) that works from a
/// file:// URL offline, fits a laptop screen and prints (figures and tables are not split across pages). Tables carry
/// data-table, figures data-figure, so a browser test can check that each is present and non-empty.
/// </summary>
public static class HtmlReport
{
    private const string Css = """
        :root { --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --hi: #fff1c2; --hi-line: #d59f00; }
        body { font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: var(--fg); max-width: 1000px; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2.5rem; }
        h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; } .muted { color: var(--muted); }
        nav { background: #f6f6f8; border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
        nav ol { margin: .3rem 0; padding-left: 1.3rem; }
        table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
        th, td { border: 1px solid var(--line); padding: .25rem .55rem; text-align: left; vertical-align: top; }
        th { background: #f0f0f3; } td.differs { background: var(--hi); box-shadow: inset 3px 0 0 var(--hi-line); font-weight: 600; }
        table.provenance td:first-child { color: var(--muted); white-space: nowrap; } table.provenance td { word-break: break-word; }
        figure { margin: 1rem 0; break-inside: avoid; } figure svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
        figcaption { font-size: .85rem; color: var(--muted); } .missing { color: #8a1c1c; font-weight: 600; }
        code { font-size: .85em; background: #f3f3f5; padding: 0 .2em; border-radius: 3px; word-break: break-all; }
        @media print { body { max-width: none; padding: 0; font-size: 11pt; } nav { break-after: page; } table, figure { break-inside: avoid; }
          h2 { break-before: page; } h2, h3 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
        """;

    public static string Render(IReadOnlyList<PlacedSection> sections, string outDir, IReadOnlyList<(string RunDir, string Error)> unreadable, IReadOnlyList<(PaperExperiment Experiment, string Why)> missing)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>AsymNet report</title>\n<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");
        sb.Append("<h1>AsymNet: the paper's tables and figures from these runs</h1>\n");
        sb.Append("<p class=\"muted\">“The Empirical Impact of Neural Parameter Symmetries, or Lack Thereof” (NeurIPS 2024), reproduced by AsymNet. ");
        sb.Append($"{sections.Count} run folder(s). Highlighted cells differ from the paper's value; each section lists how its recipe deviates from the paper's.</p>\n");

        sb.Append("<nav aria-label=\"Contents\"><strong>Contents</strong>\n<ol>\n");
        foreach (var p in sections)
            sb.Append($"<li><a href=\"#{p.Slug}\">{H(p.Section.Title)}</a> <span class=\"muted\">({H(MarkdownReport.PaperItems(p.Section))})</span></li>\n");
        if (unreadable.Count > 0) sb.Append("<li><a href=\"#unreadable\">Run folders that could not be read</a></li>\n");
        if (missing.Count > 0) sb.Append("<li><a href=\"#missing\">Missing experiments</a></li>\n");
        sb.Append("</ol></nav>\n");

        for (var i = 0; i < sections.Count; i++) Section(sb, sections[i], outDir, i);

        if (unreadable.Count > 0)
        {
            sb.Append("<section id=\"unreadable\"><h2>Run folders that could not be read</h2><ul>\n");
            foreach (var (dir, error) in unreadable) sb.Append($"<li><code>{H(dir)}</code>: {H(error)}</li>\n");
            sb.Append("</ul></section>\n");
        }
        if (missing.Count > 0)
        {
            sb.Append("<section id=\"missing\"><h2>Missing experiments</h2>\n<table data-table=\"missing\"><thead><tr><th>Experiment</th><th>Paper</th><th>Status</th></tr></thead><tbody>\n");
            foreach (var (e, why) in missing)
                sb.Append($"<tr><td>{H(e.Title)}</td><td>{H(e.PaperItems)}</td><td class=\"missing\">missing: {Code(why)}</td></tr>\n");
            sb.Append("</tbody></table></section>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, PlacedSection placed, string outDir, int index)
    {
        var (s, figures) = (placed.Section, placed.Figures);
        sb.Append($"<section id=\"{placed.Slug}\" data-experiment=\"{H(s.Experiment)}\">\n<h2>{H(s.Title)}</h2>\n");
        sb.Append($"<p class=\"muted\">{H(MarkdownReport.PaperItems(s))}.</p>\n");
        foreach (var t in s.Tables)
        {
            sb.Append($"<table data-table=\"{H(s.Experiment)}\"><caption>{H(t.Caption)}</caption>\n<thead><tr>");
            foreach (var h in t.Header) sb.Append($"<th>{H(h)}</th>");
            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in t.Rows)
            {
                sb.Append("<tr>");
                for (var c = 0; c < row.Count; c++)
                {
                    var tag = c == 0 ? "th" : "td";
                    sb.Append(row[c].Highlight ? $"<{tag} class=\"differs\" title=\"differs from the paper\">{H(row[c].Text)}</{tag}>" : $"<{tag}>{H(row[c].Text)}</{tag}>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</tbody></table>\n");
            if (t.Note is not null) sb.Append($"<p class=\"muted\">{H(t.Note)}</p>\n");
        }
        for (var f = 0; f < figures.Count; f++)
        {
            var copy = figures[f];
            sb.Append("<figure data-figure>\n").Append(InlineSvg(File.ReadAllText(Path.Combine(outDir, copy.Svg)), $"s{index}f{f}_", copy.Figure.Caption)).Append('\n');
            sb.Append($"<figcaption>{H(copy.Figure.Caption)} Standalone: <a href=\"{H(copy.Svg)}\">SVG</a>");
            if (copy.Png is not null) sb.Append($", <a href=\"{H(copy.Png)}\">PNG</a>");
            sb.Append(".</figcaption>\n</figure>\n");
        }
        List(sb, "Deviations from the paper's recipe", s.Deviations);
        List(sb, "Notes", s.Notes);
        sb.Append("<h3>Provenance</h3>\n<table class=\"provenance\" data-table=\"provenance\"><tbody>\n");
        foreach (var (k, v) in s.Provenance()) sb.Append($"<tr><td>{H(k)}</td><td>{(k == "command" ? Code(v) : H(v))}</td></tr>\n");
        sb.Append("</tbody></table>\n</section>\n");
    }

    /// <summary>An SVG file as an inline element: no XML declaration, ids made unique in the page, scalable (a
    /// viewBox from its size), and labelled for screen readers.</summary>
    public static string InlineSvg(string svg, string idPrefix, string label)
    {
        var doc = XDocument.Parse(SvgIds.Renumber(svg, idPrefix));
        var root = doc.Root ?? throw new InvalidDataException("The SVG has no root element.");
        if (root.Attribute("viewBox") is null && root.Attribute("width") is { } w && root.Attribute("height") is { } h)
            root.SetAttributeValue("viewBox", $"0 0 {w.Value} {h.Value}");
        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", label);
        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static void List(StringBuilder sb, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        sb.Append($"<h3>{H(heading)}</h3>\n<ul>\n");
        foreach (var item in items) sb.Append($"<li>{Code(item)}</li>\n");
        sb.Append("</ul>\n");
    }

    private static string H(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Escapes the text and shows `backticked` parts as code.</summary>
    private static string Code(string s)
    {
        var parts = s.Split('`');
        return string.Concat(parts.Select((p, i) => i % 2 == 1 ? $"<code>{H(p)}</code>" : H(p)));
    }
}
